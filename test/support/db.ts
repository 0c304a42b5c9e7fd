import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { adminUrl, TEMPLATES, type TemplateKind, withDatabase } from './postgres.ts';

const image = (kind: TemplateKind) => new Blob([readFileSync(inject('pgliteDumps')[kind])]);

/**
 * A fresh, migrated database of its own for a test file, empty or with the demo data: PGlite
 * cloned from the run's dump, or a PostgreSQL database created from a template when
 * DATABASE_URL is set. Closing it drops it.
 */
export async function testDatabase(kind: TemplateKind = 'empty', poolSize = 4): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ loadDataDir: image(kind) });
  const name = `simdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
  await admin.raw.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATES[kind]}`);
  const db = await openDatabase({ url: withDatabase(url, name), poolSize });
  urls.set(db.db, withDatabase(url, name));
  return {
    ...db,
    close: async () => {
      await db.close();
      await admin.raw.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

const urls = new WeakMap<object, string>();

/**
 * The same database as another app instance would open it: a pool and a listening connection of
 * its own on PostgreSQL; on PGlite, which allows one process, the same handle.
 */
export async function secondInstance(database: Database): Promise<Database> {
  const url = urls.get(database.db);
  if (!url) return { ...database, close: async () => {} };
  return openDatabase({ url, poolSize: 2 });
}

/**
 * A database the `simdesk` command can be pointed at, for tests that run the CLI in a child
 * process: environment variables naming it, and a way to open it from the test itself (close
 * it again before running the CLI when it is PGlite, which allows one process at a time).
 */
export async function cliDatabase(kind: TemplateKind = 'empty'): Promise<{
  env: Record<string, string>;
  open(): Promise<Database>;
  drop(): Promise<void>;
}> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `simdesk_test_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
    await admin.raw.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATES[kind]}`);
    const dbUrl = withDatabase(url, name);
    return {
      env: { DATABASE_URL: dbUrl },
      open: () => openDatabase({ url: dbUrl, poolSize: 2 }),
      drop: async () => {
        await admin.raw.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'simdesk-cli-'));
  const dataDir = join(dir, 'pglite');
  const dump = image(kind);
  let loaded = false;
  return {
    env: { DATA_DIR: dir },
    open: async () => {
      const db = await openDatabase({ dataDir, ...(loaded ? {} : { loadDataDir: dump }) });
      loaded = true;
      return db;
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
