import { asc, desc, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import type { ActorKind } from '../../db/schema/requests.ts';
import { auditLog } from '../../db/schema/system.ts';
import { type AuditRecord, chainHash, firstBrokenLink, GENESIS_HASH } from '../../domain/audit-chain.ts';

/** One advisory lock orders all appends, so two transactions never chain from the same row. */
const AUDIT_LOCK = 0x5153_4b41;

export type AuditEntry = Omit<AuditRecord, 'createdAt' | 'data' | 'targetKind' | 'targetId' | 'ip' | 'actorKind'> &
  Partial<Pick<AuditRecord, 'data' | 'targetKind' | 'targetId' | 'ip'>> & { actorKind: ActorKind };

/** Appends to the tamper-evident audit log inside the caller's transaction. */
export async function appendAudit(tx: Tx, entry: AuditEntry, now = new Date()): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const record = {
    targetKind: null,
    targetId: null,
    ip: null,
    ...entry,
    data: entry.data ?? {},
    createdAt: now,
  } satisfies AuditRecord;
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...record, prevHash, hash: chainHash(prevHash, record) });
}

export type AuditCheck = {
  rows: number;
  /** Entries of the operator asked about, when one was. */
  operatorRows: number | null;
  brokenAt: number | null;
  position: number | null;
  problem: 'edited' | 'gap' | null;
};

/**
 * Recomputes the whole chain (one chain for all operators, so nothing can be removed between
 * two operators' entries unnoticed): the first entry that was edited, or that follows a deleted,
 * inserted or moved one.
 */
export async function verifyAuditLog(db: Db, operatorId?: string): Promise<AuditCheck> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
  const broken = firstBrokenLink(rows);
  return {
    rows: rows.length,
    operatorRows: operatorId === undefined ? null : rows.filter((r) => r.operatorId === operatorId).length,
    brokenAt: broken?.row.id ?? null,
    position: broken?.position ?? null,
    problem: broken?.problem ?? null,
  };
}
