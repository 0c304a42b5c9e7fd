import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase, openPglite } from '../../src/db/client.ts';
import { adminUrl, TEMPLATE_DB, withDatabase } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite runs: a migrated data directory dump that each test database starts from. */
    pgliteDump: string;
  }
}

/**
 * Migrates one database for the whole run. Tests then clone it: PGlite from a dumped data
 * directory, PostgreSQL from a template database. Both are far faster than migrating per file.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
    await admin.raw.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.raw.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.close();
    const template = await openDatabase({ url: withDatabase(url, TEMPLATE_DB), poolSize: 1 });
    await template.migrate();
    await template.close();
    project.provide('pgliteDump', '');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'simdesk-test-'));
  const db = await openPglite({});
  await db.migrate();
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, Buffer.from(await (await db.dump()).arrayBuffer()));
  await db.close();
  project.provide('pgliteDump', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
