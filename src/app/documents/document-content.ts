import { inflateSync } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { err, ok, type Result } from '../../domain/result.ts';

/** The largest passport scan accepted; the upload page states it before anything is sent. */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
/** A phone camera's photo is far below this; more pixels is a decompression bomb. */
const MAX_PIXELS = 50_000_000;

export type DocumentContentType = 'image/jpeg' | 'image/png' | 'application/pdf';
export type DocumentProblem =
  | 'document.missing'
  | 'document.too_large'
  | 'document.wrong_type'
  | 'document.unreadable'
  | 'document.active_content';

/**
 * Makes an uploaded scan safe to keep: the type is read from the content, never the name or the
 * browser's claim; images are decoded and re-encoded, which drops EXIF (location, device) and
 * anything hidden after the pixels; PDFs with scripts, actions, attachments or encryption are
 * refused.
 */
export async function cleanDocument(
  content: Buffer,
): Promise<Result<{ contentType: DocumentContentType; content: Buffer }, DocumentProblem>> {
  if (content.length === 0) return err('document.missing');
  if (content.length > DOCUMENT_MAX_BYTES) return err('document.too_large');
  const detected = await fileTypeFromBuffer(content);
  switch (detected?.mime) {
    case 'image/jpeg':
    case 'image/png':
      return reencode(content, detected.mime);
    case 'application/pdf':
      return hasActiveContent(content)
        ? err('document.active_content')
        : ok({ contentType: 'application/pdf', content });
    default:
      return err('document.wrong_type');
  }
}

async function reencode(content: Buffer, contentType: 'image/jpeg' | 'image/png') {
  try {
    const image = sharp(content, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).autoOrient();
    const output = await (contentType === 'image/jpeg' ? image.jpeg({ quality: 90 }) : image.png()).toBuffer();
    return ok({ contentType, content: output });
  } catch {
    return err('document.unreadable' as const);
  }
}

/** PDF names that run code, act on opening, embed files or hide the content from inspection. */
const ACTIVE_NAMES = [
  '/JavaScript',
  '/JS',
  '/Launch',
  '/OpenAction',
  '/AA',
  '/EmbeddedFile',
  '/EmbeddedFiles',
  '/RichMedia',
  '/XFA',
  '/SubmitForm',
  '/ImportData',
  '/GoToR',
  '/Encrypt',
];

/** Names may hide letters as #xx escapes ("/J#61vaScript"); compare them decoded. */
const decodeNames = (text: string) =>
  text.replace(/\/[^\s/<>[\]()]+/g, (name) =>
    name.replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );

function mentionsActive(text: string): boolean {
  const names = new Set(decodeNames(text).match(/\/[A-Za-z]+/g) ?? []);
  return ACTIVE_NAMES.some((n) => names.has(n));
}

/** Looks in the file itself and inside every compressed stream, where object streams keep dictionaries. */
function hasActiveContent(pdf: Buffer): boolean {
  const text = pdf.toString('latin1');
  if (mentionsActive(text)) return true;
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const inflated = inflateSync(pdf.subarray(start, end), { maxOutputLength: 20 * DOCUMENT_MAX_BYTES });
      if (mentionsActive(inflated.toString('latin1'))) return true;
    } catch {
      // Not Flate-compressed (an image, say): nothing in it is a PDF dictionary.
    }
  }
  return false;
}
