import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { auditCheckpointWriter, configuredAuditAnchor, verifyAuditLog } from '../../src/app/audit/audit-log.ts';
import type { Database } from '../../src/db/client.ts';
import { StorageUnavailable } from '../../src/integrations/storage/document-storage.ts';
import { LocalStorage } from '../../src/integrations/storage/local-storage.ts';
import { migrateDocuments } from '../../src/integrations/storage/migrate-documents.ts';
import { S3Storage } from '../../src/integrations/storage/s3-storage.ts';
import { buildApp } from '../../src/web/app.ts';
import { askToken } from '../support/api-token.ts';
import { passportPhoto } from '../support/requests.ts';
import { startS3Server } from '../support/s3-server.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/** Identity documents in an S3-compatible bucket (a real S3 server, s3rver, in-process), and a bucket that is down. */
let s3: Awaited<ReturnType<typeof startS3Server>>;
let database: Database;
const dir = mkdtempSync(join(tmpdir(), 'simdesk-s3-local-'));
beforeAll(async () => {
  s3 = await startS3Server();
  database = await seededDatabase();
});
afterAll(async () => {
  await s3.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on: the store is down. */
const deadEndpoint = () =>
  new Promise<string>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });

test('put, get, has, delete and listing by age, under a prefix of the bucket', async () => {
  const storage = new S3Storage({ ...s3.options, prefix: 'volna' });
  await storage.put('op/doc-1', Buffer.from('sealed one'));
  await storage.put('op/doc-2', Buffer.from('sealed two'));
  expect((await storage.get('op/doc-1')).toString()).toBe('sealed one');
  expect(await storage.has('op/doc-2')).toBe(true);
  const listed: string[] = [];
  for await (const key of storage.keysWrittenBefore(new Date(Date.now() + 60_000))) listed.push(key);
  expect(listed.sort()).toEqual(['op/doc-1', 'op/doc-2']);
  const none: string[] = [];
  for await (const key of storage.keysWrittenBefore(new Date(Date.now() - 60_000))) none.push(key);
  expect(none).toEqual([]);
  await storage.delete('op/doc-1');
  await storage.delete('op/doc-1');
  expect(await storage.has('op/doc-1')).toBe(false);
  const other = new S3Storage({ ...s3.options, prefix: 'sever' });
  expect(await other.has('op/doc-2')).toBe(false);
});

test('an upload through the API lands sealed in the bucket; with the bucket down it is refused with 503 and nothing is kept', async () => {
  const [volna] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  const client = await createApiClient(database.db, {
    operatorId: volna?.id ?? '',
    name: 'CRM',
    scopes: ['requests:write'],
  });
  const upload = async (app: FastifyInstance, phoneNumber: string) => {
    const token = (await askToken(app, client)).json().access_token as string;
    const headers = { host: 'localhost', authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const draft = await app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      headers: { ...headers, 'idempotency-key': `draft-${phoneNumber}` },
      payload: JSON.stringify({
        phoneNumber,
        reason: 'lost',
        simType: 'esim',
        delivery: 'esim',
        contact: { name: 'Test', phone: phoneNumber },
      }),
    });
    const { id } = draft.json() as { id: string };
    const answer = await app.inject({
      method: 'POST',
      url: `/api/v1/requests/${id}/documents`,
      headers: { ...headers, 'idempotency-key': `doc-${phoneNumber}` },
      payload: JSON.stringify({
        docType: 'passport_ru',
        docNumber: '4506 123456',
        contentBase64: (await passportPhoto()).toString('base64'),
      }),
    });
    return { id, answer };
  };

  const bucket = new S3Storage({ ...s3.options, prefix: 'api' });
  const up = await buildApp({ config: testConfig, database, storage: bucket, logger: false });
  try {
    const { id, answer } = await upload(up, '+79161110011');
    expect(answer.statusCode, answer.body).toBe(201);
    const [document] = await database.raw.query<{ storage_key: string }>(
      'select storage_key from identity_documents where request_id = $1',
      [id],
    );
    const stored = await bucket.get(document?.storage_key ?? '');
    expect(stored.length).toBeGreaterThan(100);
    expect(stored.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
  } finally {
    await up.close();
  }

  const down = new S3Storage({ ...s3.options, endpoint: await deadEndpoint(), timeoutMs: 1_000 });
  await expect(down.put('x/y', Buffer.from('z'))).rejects.toBeInstanceOf(StorageUnavailable);
  const app = await buildApp({ config: testConfig, database, storage: down, logger: false });
  try {
    const { id, answer } = await upload(app, '+79161110021');
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ status: 503, detail: expect.stringContaining('ничего не сохранено') });
    const kept = await database.raw.query('select 1 from identity_documents where request_id = $1', [id]);
    expect(kept).toEqual([]);
  } finally {
    await app.close();
  }
});

test('simdesk documents migrate copies a local store into the bucket, and a second run finds it all there', async () => {
  const local = new LocalStorage(dir);
  for (const n of [1, 2, 3]) await local.put(`op/doc-${n}`, Buffer.from(`sealed ${n}`));
  const bucket = new S3Storage({ ...s3.options, prefix: 'migrated' });
  await bucket.put('op/doc-2', Buffer.from('sealed 2'));
  expect(await migrateDocuments(local, bucket)).toEqual({ copied: 2, present: 1 });
  expect(await migrateDocuments(local, bucket)).toEqual({ copied: 0, present: 3 });
  for (const n of [1, 2, 3]) expect((await bucket.get(`op/doc-${n}`)).toString()).toBe(`sealed ${n}`);
});

test("the audit log's checkpoints in a bucket: what one instance signed, every instance verifies against", async () => {
  const anchorOf = () =>
    configuredAuditAnchor({
      auditKey: testConfig.auditKey,
      auditCheckpointDir: join(dir, 'never-used'),
      auditCheckpointBucket: { ...s3.options, prefix: 'audit' },
    });
  const written = await auditCheckpointWriter(database.db, anchorOf())();
  expect(written).not.toBeNull();
  const elsewhere = await verifyAuditLog(database.db, anchorOf());
  expect(elsewhere).toMatchObject({ brokenAt: null, checkpointProblem: null, checkpoints: 1 });
  // A checkpoint rewritten in the bucket no longer carries the key's signature.
  const key = `checkpoint-${String(written?.lastId).padStart(16, '0')}`;
  const bucket = new S3Storage({ ...s3.options, prefix: 'audit' });
  const forged = { ...JSON.parse((await bucket.get(key)).toString('utf8')), rows: 1 };
  await bucket.put(key, Buffer.from(JSON.stringify(forged)));
  expect((await verifyAuditLog(database.db, anchorOf())).checkpointProblem).not.toBeNull();
});
