import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { auditCheckpointWriter, verifyAuditLog } from '../../src/app/audit/audit-log.ts';
import { viewIdentityScan } from '../../src/app/back-office/review-queue.ts';
import { seedDemo } from '../../src/app/seed/seed.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { LocalStorage } from '../../src/integrations/storage/local-storage.ts';
import { adminUrl, withDatabase } from '../support/postgres.ts';
import { readyDraft, testVault } from '../support/requests.ts';
import { demoStaff } from '../support/staff.ts';
import { testAuditAnchor, testConfig } from '../support/test-config.ts';

/**
 * docs/deployment.md's backup and restore on PostgreSQL, in its order: the database dump first,
 * then the documents, with the audit checkpoints and the keys kept apart. A populated database
 * is backed up, wiped and restored; every row, every document and the audit chain come back.
 */
const url = process.env.DATABASE_URL;
const name = `simdesk_backup_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'simdesk-backup-'));
const bin = (tool: string) =>
  `${execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1']).toString().trim()}/${tool}`;
afterAll(async () => {
  if (!url) return;
  const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
  await admin.raw.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

const counts = async (database: Database) => {
  const tables = await database.raw.query<{ name: string }>(
    "select tablename as name from pg_tables where schemaname = 'public' order by tablename",
  );
  const result: Record<string, number> = {};
  for (const { name: table } of tables)
    result[table] = Number((await database.raw.query<{ n: string }>(`select count(*) n from "${table}"`))[0]?.n);
  return result;
};

test.skipIf(!url)(
  'pg_dump, then the documents; wiped and restored, every row, document and audit entry is back',
  async () => {
    const admin = await openDatabase({ url: adminUrl(url as string), poolSize: 1 });
    await admin.raw.query(`CREATE DATABASE ${name}`);
    const target = withDatabase(url as string, name);
    const documents = join(dir, 'documents');
    const checkpoints = join(dir, 'audit-checkpoints');
    let database = await openDatabase({ url: target, poolSize: 2 });
    await database.migrate();
    await seedDemo(database, testConfig.documentKey);
    const vault = testVault(new LocalStorage(documents));
    const { requestId } = await readyDraft(database, '+79161110011', {}, vault);
    await auditCheckpointWriter(database.db, testAuditAnchor(checkpoints))();
    const staff = await demoStaff(database);
    const scan = await viewIdentityScan(database.db, vault, staff.reviewer, requestId);
    const before = await counts(database);
    await database.close();

    // The backup: the dump, then the documents (so every document the dump names is in the copy).
    const dump = join(dir, 'simdesk.dump');
    execFileSync(bin('pg_dump'), ['--format=custom', `--file=${dump}`, target]);
    cpSync(documents, join(dir, 'backup-documents'), { recursive: true });
    cpSync(checkpoints, join(dir, 'backup-checkpoints'), { recursive: true });

    // Lost: the database and the documents.
    await admin.raw.query(`DROP DATABASE ${name} WITH (FORCE)`);
    rmSync(documents, { recursive: true, force: true });
    rmSync(checkpoints, { recursive: true, force: true });

    // The restore.
    await admin.raw.query(`CREATE DATABASE ${name}`);
    execFileSync(bin('pg_restore'), ['--no-owner', `--dbname=${target}`, dump]);
    cpSync(join(dir, 'backup-documents'), documents, { recursive: true });
    cpSync(join(dir, 'backup-checkpoints'), checkpoints, { recursive: true });
    await admin.close();

    database = await openDatabase({ url: target, poolSize: 2 });
    try {
      await database.migrate();
      expect(await counts(database)).toEqual(before);
      expect(before.identity_documents).toBe(1);
      const restored = await viewIdentityScan(database.db, vault, staff.reviewer, requestId);
      expect(restored?.content.equals(scan?.content ?? Buffer.alloc(0))).toBe(true);
      const audit = await verifyAuditLog(database.db, testAuditAnchor(checkpoints));
      expect(audit).toMatchObject({ brokenAt: null, problem: null });
      expect(audit.checkpoints).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  },
);
