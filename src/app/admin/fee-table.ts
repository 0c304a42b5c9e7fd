import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { feeRules } from '../../db/schema/operators.ts';
import { CHANNELS, DELIVERIES, REASONS, SIM_TYPES } from '../../domain/replacement.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import { anyOr, type FormProblems, money, optionalWholeNumber, problemsOf } from './form-values.ts';

export type FeeRuleRow = typeof feeRules.$inferSelect;

/** One row of the fee table as typed: empty criteria match anything (the most specific rule wins, see domain/fees.ts). */
export const feeRuleForm = z.object({
  reason: anyOr(REASONS),
  simType: anyOr(SIM_TYPES),
  channel: anyOr(CHANNELS),
  delivery: anyOr(DELIVERIES),
  amount: money,
  freeIfFirstWithinMonths: optionalWholeNumber(1, 120),
});

export const feeTable = (db: Db, operatorId: string): Promise<FeeRuleRow[]> =>
  db
    .select()
    .from(feeRules)
    .where(eq(feeRules.operatorId, operatorId))
    .orderBy(asc(feeRules.reason), asc(feeRules.simType), asc(feeRules.channel), asc(feeRules.delivery));

const shown = (r: Omit<FeeRuleRow, 'id' | 'operatorId' | 'createdAt'>) => ({
  reason: r.reason,
  simType: r.simType,
  channel: r.channel,
  delivery: r.delivery,
  amountMinor: r.amountMinor,
  freeIfFirstWithinMonths: r.freeIfFirstWithinMonths,
});

export function addFeeRule(
  db: Db,
  staff: StaffActor,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<string, FormProblems>> {
  const parsed = feeRuleForm.safeParse(form);
  if (!parsed.success) return Promise.resolve(err(problemsOf(parsed.error)));
  const { amount, ...criteria } = parsed.data;
  const rule = { ...criteria, amountMinor: amount };
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [row] = await tx
      .insert(feeRules)
      .values({ operatorId: staff.operatorId, ...rule })
      .returning({ id: feeRules.id });
    const id = (row as { id: string }).id;
    await auditChange(tx, staff, 'fees.rule_added', { kind: 'fee_rule', id }, null, shown(rule), now);
    return ok(id);
  });
}

export function removeFeeRule(
  db: Db,
  staff: StaffActor,
  ruleId: string,
  now = new Date(),
): Promise<Result<true, 'fees.not_found'>> {
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [row] = await tx
      .delete(feeRules)
      .where(and(eq(feeRules.operatorId, staff.operatorId), eq(feeRules.id, ruleId)))
      .returning();
    if (!row) return err('fees.not_found' as const);
    await auditChange(tx, staff, 'fees.rule_removed', { kind: 'fee_rule', id: ruleId }, shown(row), null, now);
    return ok(true as const);
  });
}
