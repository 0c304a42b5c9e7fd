import { and, count, eq, gt, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { appointments } from '../../db/schema/requests.ts';
import { countryOf } from '../../domain/msisdn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { takeAllowance } from '../limits/allowances.ts';
import { alertStaff } from '../staff/staff-alerts.ts';
import { serializeOn } from '../transact.ts';

/**
 * What keeps the visit forms from being turned against the operator: a cap on the visits one
 * person holds (so nobody books a center's whole day), and for visitors who are not signed in,
 * SMS only to the operator's countries and within per-address, hourly and daily budgets (so the
 * form cannot pump paid texts to premium numbers abroad).
 */

const HOUR = 3_600_000;
/** Visit codes one address may be sent in an hour, whatever phone numbers it types. */
const SMS_PER_ADDRESS_HOUR = 5;

export type Visitor = { accountId?: string | undefined; phone: string; clientIp: string | null };
export type FloodError = 'visit.too_many_active' | 'visit.sms_country' | 'visit.sms_busy' | 'visit.sms_budget';

async function policyOf(tx: Tx, operatorId: string) {
  const [policy] = await tx
    .select({
      cap: operators.activeVisitsCap,
      perHour: operators.visitSmsPerHour,
      perDay: operators.visitSmsPerDay,
      country: operators.countryCode,
      smsCountries: operators.smsCountries,
    })
    .from(operators)
    .where(eq(operators.id, operatorId));
  if (!policy) throw new Error(`no operator ${operatorId}`);
  return policy;
}

/**
 * Refuses a booking that would give the visitor more than the operator's cap of visits booked
 * (or waiting for their code) and not yet made, counted by account, phone and address. The
 * visitor's bookings are taken one at a time, so parallel ones cannot slip past the cap.
 */
export async function withinVisitCap(
  tx: Tx,
  operatorId: string,
  visitor: Visitor,
  now: Date,
): Promise<Result<null, FloodError>> {
  await serializeOn(tx, `visits:${operatorId}:${visitor.accountId ?? visitor.phone}`);
  if (visitor.clientIp) await serializeOn(tx, `visits:${operatorId}:ip:${visitor.clientIp}`);
  const { cap } = await policyOf(tx, operatorId);
  const [held] = await tx
    .select({ n: count() })
    .from(appointments)
    .where(
      and(
        eq(appointments.operatorId, operatorId),
        gt(appointments.endsAt, now),
        or(
          eq(appointments.status, 'booked'),
          and(eq(appointments.status, 'pending'), gt(appointments.codeExpiresAt, now)),
        ),
        or(
          eq(appointments.contactPhone, visitor.phone),
          visitor.accountId ? eq(appointments.accountId, visitor.accountId) : sql`false`,
          visitor.clientIp ? eq(appointments.clientIp, visitor.clientIp) : sql`false`,
        ),
      ),
    );
  return (held?.n ?? 0) >= cap ? err('visit.too_many_active') : ok(null);
}

/**
 * Spends one visit-code SMS from the budgets, in the transaction that queues it: the number must
 * be of the operator's country or one it allows, the address within its hourly share, the
 * operator within its hourly and daily budgets. The text that uses up the day's budget tells the
 * operator's administrators.
 */
export async function spendVisitSms(
  tx: Tx,
  operatorId: string,
  visitor: Visitor,
  now: Date,
): Promise<Result<null, FloodError>> {
  const policy = await policyOf(tx, operatorId);
  const country = countryOf(visitor.phone);
  if (!country || (country !== policy.country && !policy.smsCountries.includes(country)))
    return err('visit.sms_country');
  if (visitor.clientIp) {
    const address = { name: `visit-sms:ip:${visitor.clientIp}`, limit: SMS_PER_ADDRESS_HOUR, windowMs: HOUR };
    if (!(await takeAllowance(tx, address, now)).allowed) return err('visit.sms_busy');
  }
  const hour = { name: `visit-sms:hour:${operatorId}`, limit: policy.perHour, windowMs: HOUR };
  if (!(await takeAllowance(tx, hour, now)).allowed) return err('visit.sms_busy');
  const day = await takeAllowance(
    tx,
    { name: `visit-sms:day:${operatorId}`, limit: policy.perDay, windowMs: 24 * HOUR },
    now,
  );
  if (!day.allowed) return err('visit.sms_budget');
  if (day.used === policy.perDay)
    await alertStaff(
      tx,
      operatorId,
      ['admin'],
      { subject: 'email.smsBudget.subject', body: 'email.smsBudget.body', values: { budget: policy.perDay } },
      `sms-budget:${operatorId}:${now.toISOString().slice(0, 10)}`,
    );
  return ok(null);
}
