import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type LocalSecrets = { sessionSecret: string; documentKey: string; paymentWebhookSecret: string };

const fresh = (): LocalSecrets => ({
  sessionSecret: randomBytes(32).toString('base64url'),
  documentKey: randomBytes(32).toString('base64'),
  paymentWebhookSecret: randomBytes(32).toString('base64url'),
});

/**
 * Secrets of an installation that was given none (development, demo): made at random on its
 * first start and kept in DATA_DIR/secrets.json, readable by its owner only, so no two demo
 * installations share a key and nobody can forge a signature from the published source.
 */
export function localSecrets(dataDir: string): LocalSecrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, 'secrets.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    writeFileSync(file, JSON.stringify(fresh()), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process started at the same moment and wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
}
