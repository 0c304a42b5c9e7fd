import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cleanDocument } from '../../src/app/documents/document-content.ts';
import { pdfRenderer } from '../../src/app/documents/pdf-renderer.ts';
import { openBytes } from '../../src/app/secret-box.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { type HiddenScript, inflateBombPdf, pdfWithHiddenScript, scannedPdf } from '../support/pdfs.ts';
import { readyDraft } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
const renderer = pdfRenderer({ threads: 1, queue: 1 });
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
  await renderer.close();
});

const storedDocument = async (requestId: string) =>
  (
    await database.raw.query<{ id: string; storage_key: string; content_type: string }>(
      'select id, storage_key, content_type from identity_documents where request_id = $1',
      [requestId],
    )
  )[0];

const variants: HiddenScript[] = ['ASCIIHex', 'ASCIIHex+Flate', 'ASCII85', 'broken Adler-32'];

test.each(variants)('a JavaScript open action hidden behind %s is gone: only page pixels are kept', async (variant) => {
  const hostile = pdfWithHiddenScript(variant);
  const parsed = await getDocument({ data: new Uint8Array(hostile), isEvalSupported: false }).promise;
  expect(await parsed.getJSActions()).toEqual({ OpenAction: ['app.alert(1)'] });

  const cleaned = await cleanDocument(hostile, renderer);
  expect(cleaned.ok && cleaned.value.contentType).toBe('image/jpeg');
  if (!cleaned.ok) return;
  expect((await sharp(cleaned.value.content).metadata()).format).toBe('jpeg');
  for (const trace of ['%PDF', 'JavaScript', 'app.alert', 'OpenAction'])
    expect(cleaned.value.content.includes(trace)).toBe(false);
});

test('through the portal, a hostile PDF is stored as a sealed JPEG and the original is never written', async () => {
  const { requestId } = await readyDraft(database, '+79161110011');
  const client = await signedInClient(app, '+79161110011');
  await client.get(`/requests/${requestId}/identity`);
  const before = new Set(await readdir(testConfig.documentsDir, { recursive: true }));
  const res = await client.postMultipart(
    `/requests/${requestId}/identity`,
    { docType: 'passport_ru', docNumber: '45 06 654321' },
    { name: 'document', filename: 'passport.pdf', content: pdfWithHiddenScript('ASCII85'), type: 'application/pdf' },
  );
  expect(res.statusCode).toBe(303);
  const document = await storedDocument(requestId);
  expect(document?.content_type).toBe('image/jpeg');
  const added = (await readdir(testConfig.documentsDir, { recursive: true })).filter((f) => !before.has(f));
  for (const file of added) {
    const path = join(testConfig.documentsDir, file);
    const bytes = await readFile(path).catch(() => null);
    if (!bytes) continue;
    expect(bytes.includes('%PDF'), file).toBe(false);
  }
  const sealed = await readFile(join(testConfig.documentsDir, document?.storage_key ?? ''));
  const plain = openBytes(testConfig.documentKey, sealed, document?.id);
  expect(plain.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
});

test('an inflate bomb is refused while /healthz keeps answering within 50 ms', async () => {
  const { requestId } = await readyDraft(database, '+79161110021');
  const client = await signedInClient(app, '+79161110021');
  await client.get(`/requests/${requestId}/identity`);
  const storedBefore = await storedDocument(requestId);
  const bomb = inflateBombPdf();
  expect(bomb.length).toBeLessThan(5 * 1024 * 1024);

  let done = false;
  const upload = client
    .postMultipart(
      `/requests/${requestId}/identity`,
      { docType: 'passport_ru', docNumber: '45 06 111222' },
      { name: 'document', filename: 'passport.pdf', content: bomb, type: 'application/pdf' },
    )
    .finally(() => {
      done = true;
    });
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    latencies.push(performance.now() - started);
    expect(health.statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const res = await upload;
  expect(res.statusCode).toBe(400);
  expect(res.body).toMatch(/could not be read|takes too long to open/);
  expect(res.body).toContain('value="45 06 111222"');
  expect(latencies.length).toBeGreaterThan(5);
  expect(Math.max(...latencies)).toBeLessThan(50);
  expect(await storedDocument(requestId)).toEqual(storedBefore);
});

test('a full pool answers "busy, try again" at once instead of queueing without limit', async () => {
  const slow = pdfRenderer({ threads: 1, queue: 1, waitMs: 60_000 });
  try {
    const bomb = inflateBombPdf(20);
    const running = slow.render(bomb);
    const waiting = slow.render(await scannedPdf());
    const started = performance.now();
    expect(await slow.render(await scannedPdf())).toEqual({ ok: false, error: 'document.busy' });
    expect(performance.now() - started).toBeLessThan(50);
    expect(await running).toMatchObject({ ok: false });
    expect(await waiting).toMatchObject({ ok: true });
  } finally {
    await slow.close();
  }
});

test('one subscriber sending five PDFs at once has one rendered; another subscriber’s PDF still goes through', async () => {
  const pool = pdfRenderer({ threads: 2, queue: 4, waitMs: 60_000 });
  try {
    const heavy = inflateBombPdf(20);
    const flood = Array.from({ length: 5 }, () => pool.render(heavy, 'account-flooding'));
    const started = performance.now();
    const other = await pool.render(await scannedPdf(), 'account-other');
    const otherMs = performance.now() - started;
    const answers = await Promise.all(flood);
    console.log(`5 PDFs from one account at once, one from another: the other's took ${Math.round(otherMs)} ms`);
    expect(other).toMatchObject({ ok: true });
    expect(answers.filter((a) => !a.ok && a.error === 'document.busy')).toHaveLength(4);
  } finally {
    await pool.close();
  }
});

test('a file that runs past its time budget stops its thread and is refused as too complex', async () => {
  const strict = pdfRenderer({ threads: 1, budgetMs: 200 });
  try {
    expect(await strict.render(inflateBombPdf(20))).toEqual({ ok: false, error: 'document.too_complex' });
    expect(await strict.render(await scannedPdf())).toMatchObject({ ok: true });
  } finally {
    await strict.close();
  }
});
