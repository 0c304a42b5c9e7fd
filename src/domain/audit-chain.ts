import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The hash the first audit row chains from. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditRecord = {
  operatorId: string | null;
  actorKind: string;
  actorId: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  createdAt: Date;
};

/** JSON with object keys sorted at every level, so a value hashes the same after a jsonb round trip. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** SHA-256 over the previous row's hash and this row's content. */
export function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(record)).digest('hex');
}

export type BrokenLink<R> = {
  row: R;
  /** 1-based place of the row in the chain as stored. */
  position: number;
  /** `edited`: the row's content no longer gives its hash; `gap`: the row before it was deleted, inserted or moved. */
  problem: 'edited' | 'gap';
};

/** The first row, in order, whose stored hashes do not follow from its content; null if the chain is whole. */
export function firstBrokenLink<R extends AuditRecord & { id: number; prevHash: string; hash: string }>(
  rows: Iterable<R>,
): BrokenLink<R> | null {
  let prev = GENESIS_HASH;
  let position = 0;
  for (const row of rows) {
    position++;
    const { id: _id, prevHash, hash, ...record } = row;
    if (hash !== chainHash(prevHash, record)) return { row, position, problem: 'edited' };
    if (prevHash !== prev) return { row, position, problem: 'gap' };
    prev = hash;
  }
  return null;
}

/**
 * A signed statement of the chain's head at a moment: its last entry, how many entries it had,
 * and that entry's hash. Written outside the database, it anchors the chain: rewriting or cutting
 * off entries up to it changes what it states, and only the holder of the key can sign anew.
 */
export type AuditCheckpoint = { lastId: number; rows: number; head: string; at: string; mac: string };

const checkpointMac = (key: string | Buffer, c: Omit<AuditCheckpoint, 'mac'>) =>
  createHmac('sha256', key)
    .update(canonical({ lastId: c.lastId, rows: c.rows, head: c.head, at: c.at }))
    .digest('hex');

export function signCheckpoint(key: string | Buffer, head: Omit<AuditCheckpoint, 'mac'>): AuditCheckpoint {
  return { ...head, mac: checkpointMac(key, head) };
}

export function checkpointSigned(key: string | Buffer, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(checkpointMac(key, checkpoint));
  const given = Buffer.from(String(checkpoint.mac));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type CheckpointFinding = { checkpoint: AuditCheckpoint; problem: 'forged' | 'rewritten' | 'truncated' };

/**
 * Compares the chain as stored with the checkpoints, oldest first: the first one that was not
 * signed with the key (forged), or whose head entry is gone (truncated) or differs, or before
 * which entries were added or removed (rewritten). `entryAt(id)` gives the stored entry's hash and
 * the number of entries up to it; `lastId` is the newest entry stored.
 */
export function firstBrokenCheckpoint(
  key: string | Buffer,
  checkpoints: AuditCheckpoint[],
  lastId: number,
  entryAt: (id: number) => { hash: string; position: number } | null,
): CheckpointFinding | null {
  for (const checkpoint of [...checkpoints].sort((a, b) => a.lastId - b.lastId)) {
    if (!checkpointSigned(key, checkpoint)) return { checkpoint, problem: 'forged' };
    const entry = entryAt(checkpoint.lastId);
    if (!entry) return { checkpoint, problem: checkpoint.lastId > lastId ? 'truncated' : 'rewritten' };
    if (entry.hash !== checkpoint.head || entry.position !== checkpoint.rows)
      return { checkpoint, problem: 'rewritten' };
  }
  return null;
}
