import { asc, count, desc, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import type { ActorKind } from '../../db/schema/requests.ts';
import { auditLog } from '../../db/schema/system.ts';
import {
  type AuditCheckpoint,
  type AuditRecord,
  type CheckpointFinding,
  chainHash,
  firstBrokenCheckpoint,
  firstBrokenLink,
  GENESIS_HASH,
  signCheckpoint,
} from '../../domain/audit-chain.ts';
import type { DocumentStorage } from '../../integrations/storage/document-storage.ts';
import { LocalStorage } from '../../integrations/storage/local-storage.ts';
import { type S3Options, S3Storage } from '../../integrations/storage/s3-storage.ts';

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
  /** Checkpoints compared, and the first that the stored chain no longer matches. */
  checkpoints: number;
  checkpointProblem: CheckpointFinding | null;
};

/** The chain's anchor outside the database: the key that signs checkpoints, and where they are kept. */
export type AuditAnchor = { key: string | Buffer; checkpoints: AuditCheckpoints };

export type AuditCheckpoints = { save(checkpoint: AuditCheckpoint): Promise<void>; all(): Promise<AuditCheckpoint[]> };

const PREFIX = 'checkpoint-';
const FAR_FUTURE = new Date('9999-01-01T00:00:00Z');

/** Checkpoints as files of a storage of their own (a directory or a bucket), one per head, named by it. */
export function storedCheckpoints(storage: DocumentStorage): AuditCheckpoints {
  return {
    save: (c) => storage.put(`${PREFIX}${String(c.lastId).padStart(16, '0')}`, Buffer.from(JSON.stringify(c))),
    async all() {
      const found: AuditCheckpoint[] = [];
      for await (const key of storage.keysWrittenBefore(FAR_FUTURE))
        if (key.startsWith(PREFIX)) found.push(JSON.parse((await storage.get(key)).toString('utf8')));
      return found;
    },
  };
}

/**
 * Signs the chain's head and writes it outside the database, when the head has moved since the
 * last checkpoint this writer wrote. Run often (every minute by `simdesk serve`): entries newer
 * than the last checkpoint are protected by the chain alone until the next one.
 */
export function auditCheckpointWriter(db: Db, anchor: AuditAnchor) {
  let written = 0;
  return async (now = new Date()): Promise<AuditCheckpoint | null> => {
    const [head] = await db
      .select({ id: auditLog.id, hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.id))
      .limit(1);
    if (!head || head.id === written) return null;
    const [counted] = await db.select({ n: count() }).from(auditLog).where(sql`${auditLog.id} <= ${head.id}`);
    const checkpoint = signCheckpoint(anchor.key, {
      lastId: head.id,
      rows: counted?.n ?? 0,
      head: head.hash,
      at: now.toISOString(),
    });
    await anchor.checkpoints.save(checkpoint);
    written = head.id;
    return checkpoint;
  };
}

/**
 * Recomputes the whole chain (one chain for all operators, so nothing can be removed between
 * two operators' entries unnoticed): the first entry that was edited, or that follows a deleted,
 * inserted or moved one; then compares it with the signed checkpoints, which catch a chain
 * rewritten with recomputed hashes, or cut short.
 */
export async function verifyAuditLog(db: Db, anchor: AuditAnchor, operatorId?: string): Promise<AuditCheck> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id));
  const broken = firstBrokenLink(rows);
  const checkpoints = await anchor.checkpoints.all();
  const places = new Map(rows.map((r, i) => [r.id, { hash: r.hash, position: i + 1 }]));
  const checkpointProblem = firstBrokenCheckpoint(
    anchor.key,
    checkpoints,
    rows.at(-1)?.id ?? 0,
    (id) => places.get(id) ?? null,
  );
  return {
    checkpoints: checkpoints.length,
    checkpointProblem,
    rows: rows.length,
    operatorRows: operatorId === undefined ? null : rows.filter((r) => r.operatorId === operatorId).length,
    brokenAt: broken?.row.id ?? null,
    position: broken?.position ?? null,
    problem: broken?.problem ?? null,
  };
}

/**
 * The anchor as configured: the audit key, and checkpoints in a bucket every instance writes to,
 * or in a directory of their own (never the documents', whose sweep deletes what no document names).
 */
export const configuredAuditAnchor = (config: {
  auditKey: string;
  auditCheckpointDir: string;
  auditCheckpointBucket?: S3Options | undefined;
}): AuditAnchor => ({
  key: config.auditKey,
  checkpoints: storedCheckpoints(
    config.auditCheckpointBucket
      ? new S3Storage(config.auditCheckpointBucket)
      : new LocalStorage(config.auditCheckpointDir),
  ),
});
