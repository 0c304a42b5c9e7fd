import { afterAll, beforeAll, expect, test } from 'vitest';
import { saveIdentityDocument } from '../../src/app/documents/identity-document.ts';
import { noteOnce } from '../../src/app/requests/timeline-notes.ts';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';
import { passportPhoto, readyDraft, testVault } from '../support/requests.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase('seeded', 12);
});
afterAll(() => database.close());

test.skipIf(!process.env.DATABASE_URL)('two uploads at once give a draft one identity document', async () => {
  const { requestId, actor } = await readyDraft(database, '+79161110051');
  await database.raw.query('delete from identity_documents where request_id = $1', [requestId]);
  const file = await passportPhoto();
  const saved = await Promise.all(
    ['4506 111111', '4506 222222'].map((docNumber) =>
      saveIdentityDocument(database.db, testVault(), actor, requestId, { docType: 'passport_ru', docNumber, file }),
    ),
  );
  const [count] = await database.raw.query<{ n: number }>(
    'select count(*)::int n from identity_documents where request_id = $1',
    [requestId],
  );
  console.log(`2 uploads at once: ${saved.filter((s) => s.ok).length} saved, ${count?.n} documents`);
  expect(count?.n).toBe(1);
});

test.skipIf(!process.env.DATABASE_URL)('concurrent notices of one thing write one timeline note', async () => {
  const { requestId } = await readyDraft(database, '+79161110061');
  const types = ['probe_a', 'probe_b', 'probe_c', 'probe_d', 'probe_e'];
  const fresh = await Promise.all(
    types.flatMap((type) => Array.from({ length: 12 }, () => noteOnce(database.db, requestId, type, new Date()))),
  );
  const notes = await database.raw.query<{ n: number }>(
    "select count(*)::int n from request_events where request_id = $1 and type like 'probe_%' group by type",
    [requestId],
  );
  console.log(
    `12 concurrent notices of each of 5 things: ${fresh.filter(Boolean).length} new, notes ${notes.map((r) => r.n)}`,
  );
  expect(notes.map((r) => r.n)).toEqual([1, 1, 1, 1, 1]);
  expect(fresh.filter(Boolean)).toHaveLength(5);
});
