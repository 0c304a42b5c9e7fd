import { createHash } from 'node:crypto';

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
