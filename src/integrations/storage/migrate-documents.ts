import type { LocalStorage } from './local-storage.ts';
import type { S3Storage } from './s3-storage.ts';

/**
 * Copies a local document store into a bucket, file by file (each sealed as it was; nothing is
 * decrypted). A run cut off part way is started again: what the bucket already holds is skipped.
 * The local files stay until the operator removes them.
 */
export async function migrateDocuments(
  from: LocalStorage,
  to: S3Storage,
): Promise<{ copied: number; present: number }> {
  let copied = 0;
  let present = 0;
  for await (const key of from.keysWrittenBefore(new Date(Date.now() + 60_000))) {
    if (await to.has(key)) {
      present++;
      continue;
    }
    await to.put(key, await from.get(key));
    copied++;
  }
  return { copied, present };
}
