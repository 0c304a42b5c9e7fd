import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { adminUrl, TEMPLATE_DB, withDatabase } from './postgres.ts';

/**
 * A fresh, migrated, empty database of its own for a test file: PGlite cloned from the run's
 * dump, or a PostgreSQL database created from the template when DATABASE_URL is set.
 * Closing it drops it.
 */
export async function testDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    return openDatabase({ loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) });
  }
  const name = `simdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
  await admin.raw.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  const db = await openDatabase({ url: withDatabase(url, name), poolSize: 4 });
  return {
    ...db,
    close: async () => {
      await db.close();
      await admin.raw.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}
