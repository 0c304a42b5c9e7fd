import { describe, expect, it } from 'vitest';
import { type FeeQuery, type FeeRule, quoteFee } from './fees.ts';

const rules: FeeRule[] = [
  {
    id: 'base',
    reason: null,
    simType: null,
    channel: null,
    delivery: null,
    amountMinor: 30000,
    freeIfFirstWithinMonths: null,
  },
  {
    id: 'esim',
    reason: null,
    simType: 'esim',
    channel: null,
    delivery: null,
    amountMinor: 0,
    freeIfFirstWithinMonths: null,
  },
  {
    id: 'lost',
    reason: 'lost',
    simType: 'physical',
    channel: null,
    delivery: null,
    amountMinor: 50000,
    freeIfFirstWithinMonths: 12,
  },
  {
    id: 'damaged-counter',
    reason: 'damaged',
    simType: null,
    channel: 'counter',
    delivery: null,
    amountMinor: 10000,
    freeIfFirstWithinMonths: null,
  },
];
const now = new Date('2026-06-01T12:00:00Z');
const query = (over: Partial<FeeQuery>): FeeQuery => ({
  reason: 'damaged',
  simType: 'physical',
  channel: 'online',
  delivery: 'pickup',
  previousReplacements: [],
  deliveryFeeMinor: 0,
  now,
  ...over,
});

describe('quoteFee', () => {
  it('falls back to the catch-all rule', () => {
    expect(quoteFee(rules, query({}))).toEqual({
      ok: true,
      value: { items: [{ kind: 'replacement', ruleId: 'base', amountMinor: 30000, waived: false }], totalMinor: 30000 },
    });
  });

  it('prefers the most specific rule', () => {
    const r = quoteFee(rules, query({ channel: 'counter' }));
    expect(r.ok && r.value.items[0]).toMatchObject({ ruleId: 'damaged-counter', amountMinor: 10000 });
  });

  it('waives the first replacement after a loss within the window, not the second', () => {
    const first = quoteFee(rules, query({ reason: 'lost', previousReplacements: [new Date('2025-01-01')] }));
    expect(first.ok && first.value.totalMinor).toBe(0);
    expect(first.ok && first.value.items[0]).toMatchObject({ ruleId: 'lost', waived: true });
    const second = quoteFee(rules, query({ reason: 'lost', previousReplacements: [new Date('2026-02-01')] }));
    expect(second.ok && second.value.totalMinor).toBe(50000);
  });

  it('adds the courier charge of the delivery zone', () => {
    const r = quoteFee(rules, query({ delivery: 'courier', deliveryFeeMinor: 25000 }));
    expect(r.ok && r.value.totalMinor).toBe(55000);
    expect(r.ok && r.value.items[1]).toEqual({ kind: 'delivery', amountMinor: 25000 });
  });

  it('allows a zero fee', () => {
    const r = quoteFee(rules, query({ simType: 'esim', delivery: 'esim' }));
    expect(r.ok && r.value.totalMinor).toBe(0);
  });

  it('reports an operator with no matching rule', () => {
    expect(quoteFee([rules[3] as FeeRule], query({}))).toEqual({ ok: false, error: 'fee.no_rule' });
  });

  it('matches a rule on its delivery; among equally specific rules the cheaper wins', () => {
    const byDelivery: FeeRule = { ...(rules[0] as FeeRule), id: 'courier-only', delivery: 'courier', amountMinor: 1 };
    const pricier: FeeRule = { ...byDelivery, id: 'courier-pricier', amountMinor: 9 };
    expect(quoteFee([...rules, pricier, byDelivery], query({ delivery: 'courier' }))).toMatchObject({
      value: { items: [{ ruleId: 'courier-only' }] },
    });
    expect(quoteFee([...rules, byDelivery], query({ delivery: 'pickup' }))).toMatchObject({
      value: { items: [{ ruleId: 'base' }] },
    });
  });

  it('counts a replacement made exactly at the window start as outside it, and one made now as inside', () => {
    const lost = query({ reason: 'lost' });
    const windowStart = new Date('2025-06-01T12:00:00Z');
    expect(quoteFee(rules, { ...lost, previousReplacements: [windowStart] })).toMatchObject({
      value: { totalMinor: 0 },
    });
    expect(quoteFee(rules, { ...lost, previousReplacements: [now] })).toMatchObject({ value: { totalMinor: 50000 } });
    expect(quoteFee(rules, { ...lost, previousReplacements: [new Date('2026-07-01')] })).toMatchObject({
      value: { totalMinor: 0 },
    });
    expect(
      quoteFee(rules, { ...lost, previousReplacements: [new Date('2020-01-01'), new Date('2026-05-01')] }),
    ).toMatchObject({ value: { totalMinor: 50000 } });
  });

  it('charges delivery only for a courier, and only when the zone charges', () => {
    expect(quoteFee(rules, query({ delivery: 'pickup', deliveryFeeMinor: 25000 }))).toMatchObject({
      value: { totalMinor: 30000 },
    });
    const free = quoteFee(rules, query({ delivery: 'courier', deliveryFeeMinor: 0 }));
    expect(free.ok && free.value.items).toHaveLength(1);
  });
});
