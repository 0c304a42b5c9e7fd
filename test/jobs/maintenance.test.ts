import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyAuditLog } from '../../src/app/audit/audit-log.ts';
import { cancelRequest } from '../../src/app/requests/cancel-request.ts';
import type { Database } from '../../src/db/client.ts';
import { LocalStorage } from '../../src/integrations/storage/local-storage.ts';
import { purgeExpiredDocuments, redactDeliveredMessages, sweepOrphanDocuments } from '../../src/jobs/maintenance.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testAuditAnchor, testConfig, testLinks } from '../support/test-config.ts';

let database: Database;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(() => database.close());

const documentOf = async (requestId: string) =>
  (
    await database.raw.query<{ storage_key: string | null; number_encrypted: string; purged: boolean }>(
      'select storage_key, number_encrypted, purged_at is not null purged from identity_documents where request_id = $1',
      [requestId],
    )
  )[0];

test('documents past retention are destroyed once their request has ended, with a destruction record', async () => {
  const storage = new LocalStorage(testConfig.documentsDir);
  const closed = await submittedRequest(database, '+79161110001');
  const open = await submittedRequest(database, '+79161110021');
  await cancelRequest(database.db, testLinks, closed.actor, closed.requestId);
  await database.raw.query(`update identity_documents set purge_after = now() - interval '1 day'`);
  const key = (await documentOf(closed.requestId))?.storage_key as string;
  expect(existsSync(join(testConfig.documentsDir, key))).toBe(true);

  expect(await purgeExpiredDocuments(database.db, storage)).toBe(1);
  expect(await documentOf(closed.requestId)).toEqual({ storage_key: null, number_encrypted: 'purged', purged: true });
  expect(existsSync(join(testConfig.documentsDir, key))).toBe(false);
  expect((await documentOf(open.requestId))?.purged).toBe(false);
  const records = await database.raw.query(`select 1 from audit_log where action = 'document.purged'`);
  expect(records).toHaveLength(1);
  expect(await verifyAuditLog(database.db, testAuditAnchor())).toMatchObject({ brokenAt: null });
  expect(await purgeExpiredDocuments(database.db, storage)).toBe(0);
});

test('delivered messages lose their text after a day; pending and recent ones keep it', async () => {
  await database.raw.query(
    `update outbox set status = 'sent', sent_at = now() - interval '2 days' where topic = 'email.send'`,
  );
  await database.raw.query(`update outbox set status = 'sent', sent_at = now() where topic = 'sms.send'`);
  expect(await redactDeliveredMessages(database.db)).toBeGreaterThan(0);
  const emails = await database.raw.query<{ payload: Record<string, unknown> }>(
    `select payload from outbox where topic = 'email.send'`,
  );
  for (const { payload } of emails) expect(Object.keys(payload).sort()).toEqual(['redacted', 'to']);
  const sms = await database.raw.query<{ text: string | null }>(
    `select payload->>'text' text from outbox where topic = 'sms.send'`,
  );
  expect(sms.every((m) => typeof m.text === 'string' && m.text.length > 0)).toBe(true);
  expect(await redactDeliveredMessages(database.db)).toBe(0);
});

test('a scan left behind by a process killed before its commit is swept after an hour; recorded ones stay', async () => {
  const storage = new LocalStorage(testConfig.documentsDir);
  const { requestId } = await submittedRequest(database, '+79161110031');
  const kept = (await documentOf(requestId))?.storage_key as string;
  const operator = kept.split('/')[0] as string;
  await storage.put(`${operator}/orphan-${Date.now()}`, Buffer.from('sealed bytes of a scan that was never recorded'));
  const fresh = `${operator}/fresh-${Date.now()}`;
  await storage.put(fresh, Buffer.from('a scan whose transaction is still under way'));
  const unfinished = join(testConfig.documentsDir, operator, 'half-written.abc.tmp');
  writeFileSync(unfinished, 'partial');
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  for (const key of [kept, ...readdirSync(join(testConfig.documentsDir, operator)).map((f) => `${operator}/${f}`)])
    if (key !== fresh) utimesSync(join(testConfig.documentsDir, key), twoHoursAgo, twoHoursAgo);

  expect(await sweepOrphanDocuments(database.db, storage)).toBeGreaterThanOrEqual(1);
  const left = readdirSync(join(testConfig.documentsDir, operator));
  expect(left.some((f) => f.startsWith('orphan-'))).toBe(false);
  expect(left.some((f) => f.endsWith('.tmp'))).toBe(false);
  expect(existsSync(join(testConfig.documentsDir, kept))).toBe(true);
  expect(existsSync(join(testConfig.documentsDir, fresh))).toBe(true);
});
