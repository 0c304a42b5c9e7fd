import { createHash } from 'node:crypto';
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
      expect(firstBrokenLink(edited)).toMatchObject({ row: { id: i + 1 }, position: i + 1, problem: 'edited' });
      const deleted = rows.filter((_, j) => j !== i);
      if (i < rows.length - 1)
        expect(firstBrokenLink(deleted)).toMatchObject({ row: { id: i + 2 }, position: i + 1, problem: 'gap' });
      if (i > 0) {
        const swapped = [...rows];
        [swapped[i - 1], swapped[i]] = [swapped[i] as (typeof rows)[number], swapped[i - 1] as (typeof rows)[number]];
        expect(firstBrokenLink(swapped)).toMatchObject({ position: i, problem: 'gap' });
      }
    }),
  );
});

test('the hashed form is fixed: chains already stored must keep verifying after an upgrade', () => {
  expect(GENESIS_HASH).toBe('0'.repeat(64));
  const golden = record('request.submitted', {
    z: [1, 'two', { b: null, a: true }],
    a: { when: new Date('2026-01-02T03:04:05Z'), skipped: undefined, nothing: null },
    'b-c': 'ключ',
  });
  const text =
    '{"action":"request.submitted","actorId":"a1","actorKind":"subscriber","createdAt":"2026-11-25T10:00:00.000Z",' +
    '"data":{"a":{"nothing":null,"when":"2026-01-02T03:04:05.000Z"},"b-c":"ключ","z":[1,"two",{"a":true,"b":null}]},' +
    '"ip":"127.0.0.1","operatorId":null,"targetId":"l1","targetKind":"line"}';
  const expected = createHash('sha256').update(`${GENESIS_HASH}\n${text}`).digest('hex');
  expect(chainHash(GENESIS_HASH, golden)).toBe(expected);
  expect(expected).toBe('2bf211d9b3ea25fd17e8d5ed1ffa88c00f2a41a21aefbde5678a10da6bdd56ea');
});

test('different content hashes differently, whatever the nesting', () => {
  const variants: Record<string, unknown>[] = [
    { v: [1, 2] },
    { v: [2, 1] },
    { v: { 0: 1, 1: 2 } },
    { v: '12' },
    { v: null },
    {},
    { v: [] },
    { v: {} },
    { v: new Date('2026-01-01T00:00:00Z') },
    { v: '2026-01-01T00:00:00.000Z' },
    { v: { a: 1, b: 2 } },
    { v: { a: 2, b: 1 } },
    { v: { a: undefined, b: 1 } },
    { w: 1 },
  ];
  const hashes = variants.map((data) => chainHash(GENESIS_HASH, record('x', data)));
  expect(new Set(hashes).size).toBe(hashes.length - 1);
  expect(hashes[8]).toBe(hashes[9]);
  expect(chainHash(GENESIS_HASH, record('x', { v: { b: 1 } }))).toBe(hashes[12]);
  expect(chainHash('1'.repeat(64), record('x'))).not.toBe(chainHash(GENESIS_HASH, record('x')));
});
