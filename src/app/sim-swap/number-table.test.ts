import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { NumberTable, numberKey } from './number-table.ts';

const tableOf = (rows: [string, number][]) => {
  const builder = NumberTable.builder();
  for (const [msisdn, at] of rows) builder.add(msisdn, at);
  return builder.build();
};

describe('NumberTable', () => {
  test('finds numbers given in the database text order, where a shorter number sorts after a longer one', () => {
    const table = tableOf([
      ['+12025550100', 1],
      ['+4412', 2],
      ['+79161110001', 3],
      ['+8613800138000', 4],
      ['+9', 5],
    ]);
    expect(table.size).toBe(5);
    expect(['+12025550100', '+4412', '+79161110001', '+8613800138000', '+9'].map((n) => table.get(n))).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(table.get('+79161110002')).toBeUndefined();
    expect(table.get('+1202555010')).toBeUndefined();
  });

  test('keeps a number given twice once, with its latest change, in any order', () => {
    const table = tableOf([
      ['+79161110003', 10],
      ['+79161110001', 30],
      ['+79161110003', 50],
      ['+79161110001', 20],
      ['+79161110002', 40],
    ]);
    expect(table.size).toBe(3);
    expect(table.get('+79161110001')).toBe(30);
    expect(table.get('+79161110002')).toBe(40);
    expect(table.get('+79161110003')).toBe(50);
  });

  test('takes 16 bytes a number and ignores what is not E.164', () => {
    const table = tableOf([
      ['+79161110001', 1],
      ['79161110002', 2],
      ['+0123', 3],
      ['+7916111000100000', 4],
      ['+7916 111', 5],
      ['+79161110003', Number.NaN],
    ]);
    expect(table.size).toBe(1);
    expect(table.bytes).toBe(16);
    expect(table.get('79161110002')).toBeUndefined();
    expect(numberKey('+999999999999999')).toBe(999_999_999_999_999);
    expect(NumberTable.builder().build()).toBe(NumberTable.empty);
  });

  test('grows past its first columns while numbers arrive sorted as text', () => {
    const numbers = Array.from({ length: 5_000 }, (_, i) => `+7916${i * 7}`).sort();
    const table = tableOf(numbers.map((n, i) => [n, i]));
    expect(table.size).toBe(5_000);
    expect(numbers.every((n, i) => table.get(n) === i)).toBe(true);
  });

  test('answers like a Map of the latest change for any numbers in any order', () => {
    const msisdn = fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{0,14}$/))
      .map(([first, rest]) => `+${first}${rest}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(msisdn, fc.nat()), { maxLength: 300 }), fc.array(msisdn), (rows, probes) => {
        const expected = new Map<string, number>();
        for (const [n, at] of rows) expected.set(n, Math.max(expected.get(n) ?? 0, at));
        const table = tableOf(rows);
        expect(table.size).toBe(expected.size);
        for (const n of [...expected.keys(), ...probes]) expect(table.get(n)).toBe(expected.get(n));
      }),
    );
  });
});
