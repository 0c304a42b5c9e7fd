import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { cleanDocument, DOCUMENT_MAX_BYTES } from '../../src/app/documents/document-content.ts';

const photo = (format: 'jpeg' | 'png') =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
    [format]()
    .withMetadata({ exif: { IFD0: { Copyright: 'GPS 55.7558 37.6173', Make: 'Phone' } } })
    .toBuffer();

const pdf = (body: string, stream?: Buffer) =>
  Buffer.concat([
    Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${body} >>\nendobj\n`, 'latin1'),
    ...(stream
      ? [
          Buffer.from(`3 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n`),
          stream,
          Buffer.from('\nendstream\nendobj\n'),
        ]
      : []),
    Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n'),
  ]);

test('photos are re-encoded without their EXIF data', async () => {
  for (const format of ['jpeg', 'png'] as const) {
    const original = await photo(format);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const cleaned = await cleanDocument(original);
    expect(cleaned.ok && cleaned.value.contentType).toBe(`image/${format}`);
    if (!cleaned.ok) return;
    const meta = await sharp(cleaned.value.content).metadata();
    expect(meta.exif).toBeUndefined();
    expect(cleaned.value.content.includes('GPS 55.7558')).toBe(false);
    expect([meta.width, meta.height]).toEqual([64, 48]);
  }
});

test('the type comes from the content, not the name', async () => {
  expect(await cleanDocument(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'))).toEqual({
    ok: false,
    error: 'document.wrong_type',
  });
  expect(await cleanDocument(Buffer.from('just text, named passport.jpg'))).toEqual({
    ok: false,
    error: 'document.wrong_type',
  });
  const jpegHeaderOnly = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
  expect(await cleanDocument(jpegHeaderOnly)).toMatchObject({ ok: false });
});

test('empty and oversized files are refused', async () => {
  expect(await cleanDocument(Buffer.alloc(0))).toEqual({ ok: false, error: 'document.missing' });
  expect(await cleanDocument(Buffer.alloc(DOCUMENT_MAX_BYTES + 1))).toEqual({ ok: false, error: 'document.too_large' });
});

test('a plain PDF is kept; scripts, actions, attachments and encryption are refused, however hidden', async () => {
  const plain = await cleanDocument(pdf(''));
  expect(plain).toMatchObject({ ok: true, value: { contentType: 'application/pdf' } });
  for (const active of [
    '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>',
    '/Names << /J#61vaScript 4 0 R >>',
    '/Names << /EmbeddedFiles 5 0 R >>',
    '/Encrypt 6 0 R',
  ])
    expect(await cleanDocument(pdf(active)), active).toEqual({ ok: false, error: 'document.active_content' });
  const hidden = deflateSync(Buffer.from('4 0 obj << /S /Launch /F (cmd.exe) >> endobj'));
  expect(await cleanDocument(pdf('', hidden))).toEqual({ ok: false, error: 'document.active_content' });
  const harmless = deflateSync(Buffer.from('5 0 obj << /Type /Font /BaseFont /Helvetica >> endobj'));
  expect(await cleanDocument(pdf('', harmless))).toMatchObject({ ok: true });
});
