import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { appendAudit, auditCheckpointWriter, verifyAuditLog } from '../../src/app/audit/audit-log.ts';
import type { Database } from '../../src/db/client.ts';
import { chainHash } from '../../src/domain/audit-chain.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testAuditAnchor } from '../support/test-config.ts';

let database: Database;
let operatorId: string;
const dir = mkdtempSync(join(tmpdir(), 'simdesk-checkpoints-'));
const anchor = testAuditAnchor(dir);

beforeAll(async () => {
  database = await seededDatabase();
  operatorId = (await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'"))[0]!.id;
});
afterAll(() => database.close());

const append = (action: string, data: Record<string, unknown> = {}) =>
  database.db.transaction((tx) =>
    appendAudit(tx, { operatorId, actorKind: 'staff', actorId: 'reviewer-1', action, data }),
  );

type Row = {
  id: number;
  operator_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  created_at: Date;
  prev_hash: string;
};

/**
 * What someone with write access to the database, but not the audit key, can do: change rows and
 * recompute every hash after them with the published formula, so the chain itself verifies.
 */
async function rewriteChainFrom(id: number) {
  const rows = await database.raw.query<Row>('select * from audit_log where id >= $1 order by id', [id]);
  let prev = rows[0]!.prev_hash;
  for (const r of rows) {
    const hash = chainHash(prev, {
      operatorId: r.operator_id,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      action: r.action,
      targetKind: r.target_kind,
      targetId: r.target_id,
      data: r.data,
      ip: r.ip,
      createdAt: new Date(r.created_at),
    });
    await database.raw.query('update audit_log set prev_hash = $2, hash = $3 where id = $1', [r.id, prev, hash]);
    prev = hash;
  }
}

test('an approval edited with every later hash recomputed passes the chain but not its signed checkpoint', async () => {
  await append('request.approve', { reviewer: 'reviewer-1', risk: 80 });
  await append('request.note', { text: 'checked the passport' });
  const written = await auditCheckpointWriter(database.db, anchor)();
  expect(written).not.toBeNull();
  expect(readdirSync(dir)).toHaveLength(1);
  expect(await verifyAuditLog(database.db, anchor)).toMatchObject({
    brokenAt: null,
    checkpoints: 1,
    checkpointProblem: null,
  });

  const [approval] = await database.raw.query<{ id: number }>(
    "select id from audit_log where action = 'request.approve' order by id desc limit 1",
  );
  await database.raw.query(`update audit_log set data = '{"reviewer": "reviewer-2", "risk": 10}' where id = $1`, [
    approval!.id,
  ]);
  expect((await verifyAuditLog(database.db, anchor)).brokenAt).toBe(Number(approval!.id));
  await rewriteChainFrom(approval!.id);
  const check = await verifyAuditLog(database.db, anchor);
  expect(check.brokenAt, 'the recomputed chain itself verifies').toBeNull();
  expect(check.checkpointProblem).toMatchObject({ problem: 'rewritten', checkpoint: { lastId: written!.lastId } });
});

test('deleting the newest entries is caught by the checkpoint that named them; a forged checkpoint is caught too', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'simdesk-checkpoints-'));
  const own = testAuditAnchor(fresh);
  await append('line.block');
  await append('line.unblock');
  const written = await auditCheckpointWriter(database.db, own)();
  expect(await verifyAuditLog(database.db, own)).toMatchObject({ checkpointProblem: null });

  await database.raw.query('delete from audit_log where id > $1', [written!.lastId - 2]);
  const cut = await verifyAuditLog(database.db, own);
  expect(cut.brokenAt, 'a shorter chain still verifies by itself').toBeNull();
  expect(cut.checkpointProblem).toMatchObject({ problem: 'truncated', checkpoint: { at: written!.at } });

  const file = join(fresh, readdirSync(fresh)[0]!);
  const forged = { ...JSON.parse(readFileSync(file, 'utf8')), lastId: written!.lastId - 2, rows: written!.rows - 2 };
  writeFileSync(file, JSON.stringify(forged));
  expect((await verifyAuditLog(database.db, own)).checkpointProblem).toMatchObject({ problem: 'forged' });
});
