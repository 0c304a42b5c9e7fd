import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { err, ok, type Result } from '../../domain/result.ts';
import type { PdfLimits, RenderedPage } from './pdf-pages.ts';
import type { PdfRenderer, PdfRenderProblem } from './pdf-renderer.ts';

/** The largest passport scan accepted; the upload page states it before anything is sent. */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
/** A passport needs a page or two; a page far larger than A3 is not a scan of one. */
export const PDF_LIMITS: PdfLimits = { maxPages: 4, maxPagePoints: 5_000, maxSidePixels: 2_000, maxMemoryMb: 512 };
/** A phone camera's photo is far below this; more pixels is a decompression bomb. */
const MAX_PIXELS = 50_000_000;
/** Decoding and re-encoding one image may take this long before it is refused. */
const IMAGE_SECONDS = 10;
/** Space between the pages of a PDF stacked into one image. */
const PAGE_GAP = 16;

export type DocumentContentType = 'image/jpeg' | 'image/png';
export type DocumentProblem =
  | 'document.missing'
  | 'document.too_large'
  | 'document.wrong_type'
  | 'document.storage_unavailable'
  | PdfRenderProblem;

/**
 * Makes an uploaded scan safe to keep: the type is read from the content, never the name or the
 * browser's claim; images are decoded and re-encoded, which drops EXIF (location, device) and
 * anything hidden after the pixels; a PDF is rendered page by page and only the pixels are kept,
 * as one JPEG, so no script, action or attachment in it is ever stored or shown to staff.
 */
export async function cleanDocument(
  content: Buffer,
  pdf: PdfRenderer,
  /** Whose file it is: one PDF of theirs is rendered at a time. */
  owner?: string,
): Promise<Result<{ contentType: DocumentContentType; content: Buffer }, DocumentProblem>> {
  if (content.length === 0) return err('document.missing');
  if (content.length > DOCUMENT_MAX_BYTES) return err('document.too_large');
  const detected = await fileTypeFromBuffer(content);
  switch (detected?.mime) {
    case 'image/jpeg':
    case 'image/png':
      return reencode(content, detected.mime);
    case 'application/pdf': {
      const pages = await pdf.render(content, owner);
      return pages.ok ? stack(pages.value) : pages;
    }
    default:
      return err('document.wrong_type');
  }
}

async function reencode(content: Buffer, contentType: DocumentContentType) {
  try {
    const image = sharp(content, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .timeout({ seconds: IMAGE_SECONDS })
      .autoOrient();
    const output = await (contentType === 'image/jpeg' ? image.jpeg({ quality: 90 }) : image.png()).toBuffer();
    return ok({ contentType, content: output });
  } catch {
    return err('document.unreadable' as const);
  }
}

/** The rendered pages one under another on white, as a single JPEG. */
async function stack(pages: RenderedPage[]) {
  const width = Math.max(...pages.map((p) => p.width));
  const height = pages.reduce((sum, p) => sum + p.height, 0) + PAGE_GAP * (pages.length - 1);
  let top = 0;
  const layers = pages.map((p) => {
    const input = Buffer.from(p.rgba.buffer, p.rgba.byteOffset, p.rgba.byteLength);
    const layer = { input, raw: { width: p.width, height: p.height, channels: 4 as const }, top, left: 0 };
    top += p.height + PAGE_GAP;
    return layer;
  });
  const content = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .jpeg({ quality: 85 })
    .toBuffer();
  return ok({ contentType: 'image/jpeg' as const, content });
}
