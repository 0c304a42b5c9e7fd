import { afterAll, beforeAll, expect, test } from 'vitest';
import { saveIdentityDocument } from '../../src/app/documents/identity-document.ts';
import type { Database } from '../../src/db/client.ts';
import type { DocumentStorage } from '../../src/integrations/storage/document-storage.ts';
import { passportPhoto, readyDraft, testVault } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';

let database: Database;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(() => database.close());

/** Storage that remembers what it holds, to see what a failed save leaves behind. */
function memoryStorage(): DocumentStorage & { keys: Set<string> } {
  const files = new Map<string, Buffer>();
  return {
    keys: new Set(),
    async put(key, content) {
      files.set(key, content);
      this.keys.add(key);
    },
    async get(key) {
      return files.get(key) as Buffer;
    },
    async delete(key) {
      files.delete(key);
      this.keys.delete(key);
    },
    async *keysWrittenBefore() {
      yield* files.keys();
    },
  };
}

test('a scan saved for a transaction that fails is removed again; a replaced scan is deleted', async () => {
  const { requestId, actor } = await readyDraft(database, '+79161110001');
  const storage = memoryStorage();
  const vault = testVault(storage);
  const first = await saveIdentityDocument(database.db, vault, actor, requestId, {
    docType: 'passport_ru',
    docNumber: '4506 123456',
    file: await passportPhoto(),
  });
  expect(first.ok).toBe(true);
  expect(storage.keys.size).toBe(1);

  const broken = saveIdentityDocument(database.db, vault, actor, requestId, {
    docType: 'library_card' as 'other',
    docNumber: '4506 123456',
    file: await passportPhoto(),
  });
  await expect(broken).rejects.toThrow(/update "identity_documents"/);
  expect(storage.keys.size).toBe(1);

  const second = await saveIdentityDocument(database.db, vault, actor, requestId, {
    docType: 'passport_foreign',
    docNumber: 'E1234567',
    file: await passportPhoto(),
  });
  expect(second.ok).toBe(true);
  expect(storage.keys.size).toBe(1);
  const [row] = await database.raw.query<{ storage_key: string }>(
    'select storage_key from identity_documents where request_id = $1',
    [requestId],
  );
  expect([...storage.keys]).toEqual([row?.storage_key]);
});
