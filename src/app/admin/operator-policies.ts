import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { ONLINE_REPLACEMENT_POLICIES, operators } from '../../db/schema/operators.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import {
  checkbox,
  choice,
  countryCodes,
  type FormProblems,
  optionalWholeNumber,
  problemsOf,
  wholeNumber,
} from './form-values.ts';

/** The operator's policies and support contacts, as its administrator sets them. */
export const policiesForm = z.object({
  onlineReplacement: choice(ONLINE_REPLACEMENT_POLICIES),
  coolingOffHours: wholeNumber(0, 720),
  lockReleaseHours: wholeNumber(0, 720),
  swapHoldMinutes: wholeNumber(0, 1_440),
  fourEyesRiskThreshold: wholeNumber(0, 100),
  courierPassportCheck: checkbox,
  pickupActivatesAtCounter: checkbox,
  esimEnabled: checkbox,
  documentRetentionDays: wholeNumber(1, 3_650),
  simSwapMonitoredDays: optionalWholeNumber(1, 3_650),
  slaHours: wholeNumber(1, 2_000),
  activeVisitsCap: wholeNumber(1, 20),
  visitSmsPerHour: wholeNumber(1, 100_000),
  visitSmsPerDay: wholeNumber(1, 1_000_000),
  smsCountries: countryCodes,
  supportPhone: z
    .string()
    .trim()
    .refine((v) => /^\+?[\d\s()-]{5,20}$/.test(v) || parseMsisdn(v).ok, 'admin.invalid.phone'),
  supportEmail: z.string().trim().pipe(z.email('admin.invalid.email')),
});
export type Policies = z.output<typeof policiesForm>;
export const POLICY_FIELDS = Object.keys(policiesForm.shape) as (keyof Policies)[];

export async function currentPolicies(db: Db, operatorId: string): Promise<Policies> {
  const [row] = await db.select().from(operators).where(eq(operators.id, operatorId));
  if (!row) throw new Error(`no operator ${operatorId}`);
  return Object.fromEntries(POLICY_FIELDS.map((f) => [f, row[f]])) as Policies;
}

/**
 * Saves the policies: every field checked first (all problems at once), then the row is changed
 * and audited with the values before and after. The instances' copies of the operator are
 * dropped by the database's change notification, so the change takes effect at once.
 */
export function updatePolicies(
  db: Db,
  staff: StaffActor,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<number, FormProblems>> {
  const parsed = policiesForm.safeParse(form);
  if (!parsed.success) return Promise.resolve(err(problemsOf(parsed.error)));
  const after = parsed.data;
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [row] = await tx.select().from(operators).where(eq(operators.id, staff.operatorId)).for('update');
    if (!row) return err({ form: 'admin.invalid.choice' });
    const before = Object.fromEntries(POLICY_FIELDS.map((f) => [f, row[f]]));
    await tx.update(operators).set(after).where(eq(operators.id, staff.operatorId));
    const target = { kind: 'operator', id: staff.operatorId };
    const changed = await auditChange(tx, staff, 'operator.policies_changed', target, before, after, now);
    return ok(changed ? 1 : 0);
  });
}
