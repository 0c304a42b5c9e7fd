import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';

/** A well-formed PDF of `pages` A4 pages with a line of text on each, as a scanner would make. */
export function scannedPdf(pages = 1, size: [number, number] = [595, 842]): Promise<Buffer> {
  const doc = new PDFDocument({ size, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (let i = 1; i <= pages; i++) doc.addPage({ size }).fontSize(24).text(`PASSPORT page ${i}`, 72, 72);
  doc.end();
  return new Promise((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
}

export type HiddenScript = 'ASCIIHex' | 'ASCIIHex+Flate' | 'ASCII85' | 'broken Adler-32' | 'plain';

const ascii85 = (data: Buffer) => {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = Buffer.alloc(4);
    data.copy(chunk, 0, i, i + 4);
    let n = chunk.readUInt32BE(0);
    const digits: string[] = [];
    for (let d = 0; d < 5; d++) {
      digits.unshift(String.fromCharCode(33 + (n % 85)));
      n = Math.floor(n / 85);
    }
    out += digits.slice(0, Math.min(5, data.length - i + 1)).join('');
  }
  return `${out}~>`;
};

/**
 * A one-page PDF whose catalog (object 1) lives inside an object stream encoded with `filter`
 * and carries a JavaScript open action: the shapes a scanner of raw bytes misses.
 */
export function pdfWithHiddenScript(filter: HiddenScript): Buffer {
  const catalog = '<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>';
  const objects = `1 0 ${catalog}`;
  const raw = Buffer.from(objects, 'latin1');
  const [filterName, data] = (() => {
    switch (filter) {
      case 'ASCIIHex':
        return ['/ASCIIHexDecode', Buffer.from(`${raw.toString('hex')}>`)];
      case 'ASCIIHex+Flate':
        return ['[/ASCIIHexDecode /FlateDecode]', Buffer.from(`${deflateSync(raw).toString('hex')}>`)];
      case 'ASCII85':
        return ['/ASCII85Decode', Buffer.from(ascii85(raw))];
      case 'broken Adler-32': {
        const deflated = deflateSync(raw);
        deflated.writeUInt32BE(deflated.readUInt32BE(deflated.length - 4) ^ 0xffffffff, deflated.length - 4);
        return ['/FlateDecode', deflated];
      }
      case 'plain':
        return ['/FlateDecode', deflateSync(raw)];
    }
  })();
  const first = objects.indexOf('<<');
  return assemble(
    [
      Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
      Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>'),
      Buffer.concat([
        Buffer.from(`<< /Type /ObjStm /N 1 /First ${first} /Length ${data.length} /Filter ${filterName} >>\nstream\n`),
        data,
        Buffer.from('\nendstream'),
      ]),
      streamObject('BT /F1 24 Tf 72 700 Td (PASSPORT) Tj ET'),
    ],
    4,
  );
}

/**
 * A PDF whose page content is `streams` Flate streams that each inflate to `inflatedMb`
 * megabytes of zeros: a few megabytes on the wire, gigabytes once decoded.
 */
export function inflateBombPdf(streams = 40, inflatedMb = 101): Buffer {
  const bomb = deflateSync(Buffer.alloc(inflatedMb * 1024 * 1024), { level: 9 });
  const contents = Array.from({ length: streams }, (_, i) => `${5 + i} 0 R`).join(' ');
  return assemble([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [${contents}] >>`),
    Buffer.from('<< >>'),
    ...Array.from({ length: streams }, () =>
      Buffer.concat([
        Buffer.from(`<< /Length ${bomb.length} /Filter /FlateDecode >>\nstream\n`),
        bomb,
        Buffer.from('\nendstream'),
      ]),
    ),
  ]);
}

const streamObject = (content: string) =>
  Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`, 'latin1');

/**
 * Numbers `bodies` from 2 (from 1 when `catalogIn` is absent) and ends the file with a
 * cross-reference stream, which is how PDF 1.5 finds an object kept inside an object stream:
 * `catalogIn` names the object stream that holds object 1.
 */
function assemble(bodies: Buffer[], catalogIn?: number): Buffer {
  const first = catalogIn === undefined ? 1 : 2;
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let position = parts[0]?.length ?? 0;
  const entries = new Map<number, [number, number, number]>();
  if (catalogIn !== undefined) entries.set(1, [2, catalogIn, 0]);
  bodies.forEach((body, i) => {
    const part = Buffer.concat([Buffer.from(`${i + first} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    entries.set(i + first, [1, position, 0]);
    parts.push(part);
    position += part.length;
  });
  const xrefNumber = bodies.length + first;
  entries.set(xrefNumber, [1, position, 0]);
  const table = Buffer.alloc((xrefNumber + 1) * 7);
  table.writeUInt8(0, 0);
  table.writeUInt32BE(0, 1);
  table.writeUInt16BE(0xffff, 5);
  for (const [number, [type, field, generation]] of entries) {
    table.writeUInt8(type, number * 7);
    table.writeUInt32BE(field, number * 7 + 1);
    table.writeUInt16BE(generation, number * 7 + 5);
  }
  const dictionary = `<< /Type /XRef /Size ${xrefNumber + 1} /W [1 4 2] /Root 1 0 R /Length ${table.length} >>`;
  parts.push(
    Buffer.from(`${xrefNumber} 0 obj\n${dictionary}\nstream\n`),
    table,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${position}\n%%EOF\n`),
  );
  return Buffer.concat(parts);
}
