import fc from 'fast-check';
import { expect, test } from 'vitest';
import { type AuditRecord, chainHash, firstBrokenLink, GENESIS_HASH } from './audit-chain.ts';

const record = (action: string, data: Record<string, unknown> = {}): AuditRecord => ({
  operatorId: null,
  actorKind: 'subscriber',
  actorId: 'a1',
  action,
  targetKind: 'line',
  targetId: 'l1',
  data,
  ip: '127.0.0.1',
  createdAt: new Date('2026-11-25T10:00:00Z'),
});

function chain(records: AuditRecord[]) {
  let prev = GENESIS_HASH;
  return records.map((r, i) => {
    const hash = chainHash(prev, r);
    const row = { ...r, id: i + 1, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

test('key order inside data does not change the hash', () => {
  expect(chainHash(GENESIS_HASH, record('x', { a: 1, b: { c: 2, d: 3 } }))).toBe(
    chainHash(GENESIS_HASH, record('x', { b: { d: 3, c: 2 }, a: 1 })),
  );
});

test('an intact chain verifies; editing, deleting or reordering any row is found at that row', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 12 }), fc.nat(), (actions, pick) => {
      const rows = chain(actions.map((a) => record(a)));
      expect(firstBrokenLink(rows)).toBeNull();
      const i = pick % rows.length;
      const edited = rows.map((r, j) => (j === i ? { ...r, data: { tampered: true } } : r));
      expect(firstBrokenLink(edited)?.id).toBe(i + 1);
      const deleted = rows.filter((_, j) => j !== i);
      if (i < rows.length - 1) expect(firstBrokenLink(deleted)?.id).toBe(i + 2);
    }),
  );
});
