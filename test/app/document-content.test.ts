import sharp from 'sharp';
import { afterAll, expect, test } from 'vitest';
import { cleanDocument, DOCUMENT_MAX_BYTES, PDF_LIMITS } from '../../src/app/documents/document-content.ts';
import { pdfRenderer } from '../../src/app/documents/pdf-renderer.ts';
import { scannedPdf } from '../support/pdfs.ts';

const renderer = pdfRenderer({ threads: 1 });
afterAll(() => renderer.close());

const photo = (format: 'jpeg' | 'png') =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
    [format]()
    .withMetadata({ exif: { IFD0: { Copyright: 'GPS 55.7558 37.6173', Make: 'Phone' } } })
    .toBuffer();

test('photos are re-encoded without their EXIF data', async () => {
  for (const format of ['jpeg', 'png'] as const) {
    const original = await photo(format);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const cleaned = await cleanDocument(original, renderer);
    expect(cleaned.ok && cleaned.value.contentType).toBe(`image/${format}`);
    if (!cleaned.ok) return;
    const meta = await sharp(cleaned.value.content).metadata();
    expect(meta.exif).toBeUndefined();
    expect(cleaned.value.content.includes('GPS 55.7558')).toBe(false);
    expect([meta.width, meta.height]).toEqual([64, 48]);
  }
});

test('the type comes from the content, not the name', async () => {
  expect(await cleanDocument(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'), renderer)).toEqual({
    ok: false,
    error: 'document.wrong_type',
  });
  expect(await cleanDocument(Buffer.from('just text, named passport.jpg'), renderer)).toEqual({
    ok: false,
    error: 'document.wrong_type',
  });
  const jpegHeaderOnly = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
  expect(await cleanDocument(jpegHeaderOnly, renderer)).toMatchObject({ ok: false });
});

test('empty and oversized files are refused', async () => {
  expect(await cleanDocument(Buffer.alloc(0), renderer)).toEqual({ ok: false, error: 'document.missing' });
  expect(await cleanDocument(Buffer.alloc(DOCUMENT_MAX_BYTES + 1), renderer)).toEqual({
    ok: false,
    error: 'document.too_large',
  });
});

test('a PDF is kept only as the pixels of its pages, one JPEG', async () => {
  const cleaned = await cleanDocument(await scannedPdf(2), renderer);
  expect(cleaned.ok && cleaned.value.contentType).toBe('image/jpeg');
  if (!cleaned.ok) return;
  expect(cleaned.value.content.includes('%PDF')).toBe(false);
  const meta = await sharp(cleaned.value.content).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.width).toBeLessThanOrEqual(PDF_LIMITS.maxSidePixels);
  expect(meta.height).toBeGreaterThan(2 * (meta.width ?? 0));
  const { data, info } = await sharp(cleaned.value.content).greyscale().raw().toBuffer({ resolveWithObject: true });
  const dark = data.filter((v) => v < 128).length;
  expect(dark / (info.width * info.height)).toBeGreaterThan(0.0005);
});

test('a PDF with more pages than a passport needs, huge pages or no pages is refused', async () => {
  expect(await cleanDocument(await scannedPdf(PDF_LIMITS.maxPages + 1), renderer)).toEqual({
    ok: false,
    error: 'document.too_many_pages',
  });
  expect(await cleanDocument(await scannedPdf(1, [14_400, 14_400]), renderer)).toEqual({
    ok: false,
    error: 'document.page_too_large',
  });
  expect(await cleanDocument(Buffer.from('%PDF-1.7\n%%EOF\n'), renderer)).toEqual({
    ok: false,
    error: 'document.unreadable',
  });
});
