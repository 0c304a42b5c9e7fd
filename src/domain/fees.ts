import type { Channel, Delivery, Reason, SimType } from './replacement.ts';
import { err, ok, type Result } from './result.ts';

/**
 * One row of an operator's fee table. A null criterion matches anything; the most specific
 * matching rule wins. `freeIfFirstWithinMonths` waives the fee when the line had no other
 * replacement in that many months (e.g. "first replacement in 12 months after loss is free").
 */
export type FeeRule = {
  id: string;
  reason: Reason | null;
  simType: SimType | null;
  channel: Channel | null;
  delivery: Delivery | null;
  amountMinor: number;
  freeIfFirstWithinMonths: number | null;
};

export type FeeQuery = {
  reason: Reason;
  simType: SimType;
  channel: Channel;
  delivery: Delivery;
  /** Dates of the line's earlier completed replacements. */
  previousReplacements: readonly Date[];
  /** The delivery zone's courier charge, for courier delivery. */
  deliveryFeeMinor: number;
  now: Date;
};

export type FeeItem =
  | { kind: 'replacement'; ruleId: string; amountMinor: number; waived: boolean }
  | { kind: 'delivery'; amountMinor: number };

export type FeeQuote = { items: FeeItem[]; totalMinor: number };

function specificity(rule: FeeRule): number {
  return [rule.reason, rule.simType, rule.channel, rule.delivery].filter((c) => c !== null).length;
}

function matches(rule: FeeRule, q: FeeQuery): boolean {
  return (
    (rule.reason === null || rule.reason === q.reason) &&
    (rule.simType === null || rule.simType === q.simType) &&
    (rule.channel === null || rule.channel === q.channel) &&
    (rule.delivery === null || rule.delivery === q.delivery)
  );
}

function monthsBefore(date: Date, months: number): Date {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

export function quoteFee(rules: readonly FeeRule[], q: FeeQuery): Result<FeeQuote, 'fee.no_rule'> {
  const rule = rules
    .filter((r) => matches(r, q))
    .sort((a, b) => specificity(b) - specificity(a) || a.amountMinor - b.amountMinor)[0];
  if (!rule) return err('fee.no_rule');

  const windowStart = rule.freeIfFirstWithinMonths === null ? null : monthsBefore(q.now, rule.freeIfFirstWithinMonths);
  const waived = windowStart !== null && !q.previousReplacements.some((d) => d > windowStart && d <= q.now);
  const items: FeeItem[] = [
    { kind: 'replacement', ruleId: rule.id, amountMinor: waived ? 0 : rule.amountMinor, waived },
  ];
  if (q.delivery === 'courier' && q.deliveryFeeMinor > 0)
    items.push({ kind: 'delivery', amountMinor: q.deliveryFeeMinor });
  return ok({ items, totalMinor: items.reduce((sum, i) => sum + i.amountMinor, 0) });
}
