import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedDemo } from '../../src/app/seed/seed.ts';
import { type Database, openDatabase, openPglite } from '../../src/db/client.ts';
import { adminUrl, TEMPLATES, withDatabase } from './postgres.ts';
import { testConfig } from './test-config.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite runs: dumped data directories that test databases start from. */
    pgliteDumps: { empty: string; seeded: string };
  }
}

/**
 * Migrates one database and seeds a copy of it, once for the whole run. Test files then
 * clone them: PGlite from dumped data directories, PostgreSQL from template databases.
 * Both are far faster than migrating and seeding per file.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
    const prepare = async (name: string, from: string | null, fill: (db: Database) => Promise<unknown>) => {
      await admin.raw.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.raw.query(`CREATE DATABASE ${name}${from ? ` TEMPLATE ${from}` : ''}`);
      const db = await openDatabase({ url: withDatabase(url, name), poolSize: 1 });
      await fill(db);
      await db.close();
    };
    await prepare(TEMPLATES.empty, null, (db) => db.migrate());
    await prepare(TEMPLATES.seeded, TEMPLATES.empty, (db) => seedDemo(db, testConfig.documentKey));
    await admin.close();
    project.provide('pgliteDumps', { empty: '', seeded: '' });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'simdesk-test-'));
  const db = await openPglite({});
  const dump = async (name: string) => {
    const file = join(dir, `${name}.tar`);
    writeFileSync(file, Buffer.from(await (await db.dump()).arrayBuffer()));
    return file;
  };
  await db.migrate();
  const empty = await dump('migrated');
  await seedDemo(db, testConfig.documentKey);
  const seeded = await dump('seeded');
  await db.close();
  project.provide('pgliteDumps', { empty, seeded });
  return () => rmSync(dir, { recursive: true, force: true });
}
