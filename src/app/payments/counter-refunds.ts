import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { payments, replacementRequests } from '../../db/schema/requests.ts';
import { outbox } from '../../db/schema/system.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { counterCenter } from '../counter/counter-center.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { COUNTER } from './refunds.ts';

export type CounterRefund = {
  paymentId: string;
  requestId: string;
  reference: string;
  method: 'cash' | 'card_terminal';
  amountMinor: number;
  currency: string;
  /** The slip of the terminal payment, to find it for the reversal. */
  slipRef: string | null;
  paidAt: Date | null;
  owedSince: Date;
};

const counterRefundColumns = {
  paymentId: payments.id,
  requestId: payments.requestId,
  reference: replacementRequests.reference,
  method: payments.method,
  amountMinor: payments.amountMinor,
  currency: payments.currency,
  slipRef: payments.providerRef,
  paidAt: payments.succeededAt,
  owedSince: payments.updatedAt,
};

/** Counter payments of the center still owed back. */
const owedAtCenter = (operatorId: string, centerId: string) =>
  and(
    eq(payments.operatorId, operatorId),
    eq(payments.centerId, centerId),
    eq(payments.provider, COUNTER),
    eq(payments.status, 'refund_pending'),
  );

/** Money taken at the staff member's counter that is owed back: cash to pay out, terminal payments to reverse. */
export async function counterRefundsDue(db: Db, staff: StaffActor): Promise<CounterRefund[]> {
  const center = await counterCenter(db, staff);
  if (!center.ok) return [];
  const rows = await db
    .select(counterRefundColumns)
    .from(payments)
    .innerJoin(replacementRequests, eq(replacementRequests.id, payments.requestId))
    .where(owedAtCenter(staff.operatorId, center.value))
    .orderBy(asc(payments.updatedAt));
  return rows as CounterRefund[];
}

export type CounterRefundError = 'refund.not_found' | 'refund.slip_required' | 'staff.no_center';

/**
 * An agent of the center records a counter refund done: the cash paid out, or the payment
 * reversed on the terminal (its reversal slip typed). Only the center where the money was
 * taken pays it back; the payment row is locked, so two agents cannot both record it.
 */
export function recordCounterRefund(
  db: Db,
  staff: StaffActor,
  paymentId: string,
  reversal: { slipRef: string },
  now = new Date(),
): Promise<Result<CounterRefund, CounterRefundError>> {
  return transact(db, async (tx): Promise<Result<CounterRefund, CounterRefundError>> => {
    await requireRole(tx, staff, ['store_agent']);
    const center = await counterCenter(tx, staff);
    if (!center.ok) return err('staff.no_center');
    const [owed] = await tx
      .select(counterRefundColumns)
      .from(payments)
      .innerJoin(replacementRequests, eq(replacementRequests.id, payments.requestId))
      .where(and(owedAtCenter(staff.operatorId, center.value), eq(payments.id, paymentId)))
      .for('update', { of: payments });
    if (!owed) return err('refund.not_found');
    const slipRef = reversal.slipRef.trim();
    if (owed.method === 'card_terminal' && !slipRef) return err('refund.slip_required');
    await tx
      .update(payments)
      .set({
        status: 'refunded',
        refundedAt: now,
        refundedByStaffId: staff.staffId,
        refundSlipRef: owed.method === 'card_terminal' ? slipRef : null,
        updatedAt: now,
      })
      .where(eq(payments.id, paymentId));
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'payment.refunded_at_counter',
        targetKind: 'replacement_request',
        targetId: owed.requestId,
        ip: staff.ip,
        data: {
          reference: owed.reference,
          method: owed.method,
          amountMinor: owed.amountMinor,
          ...(owed.method === 'card_terminal' ? { slipRef } : {}),
        },
      },
      now,
    );
    return ok(owed as CounterRefund);
  });
}

export type PendingRefund = {
  paymentId: string;
  reference: string;
  requestId: string;
  method: string;
  amountMinor: number;
  currency: string;
  owedSince: Date;
  /** Where it is paid back: a center's counter (its code), or the gateway through the outbox. */
  where: { center: string } | { gateway: string; jobId: number | null; state: 'queued' | 'retrying' | 'dead' };
  lastError: string | null;
};

/**
 * Every refund still owed at the operator, oldest first: counter refunds waiting for their
 * center, and gateway refunds still queued, being retried or given up (with the gateway's answer).
 */
export async function pendingRefunds(db: Db, operatorId: string): Promise<PendingRefund[]> {
  const rows = await db
    .select({
      payment: payments,
      reference: replacementRequests.reference,
      center: serviceCenters.code,
      job: { id: outbox.id, status: outbox.status, attempts: outbox.attempts, lastError: outbox.lastError },
    })
    .from(payments)
    .innerJoin(replacementRequests, eq(replacementRequests.id, payments.requestId))
    .leftJoin(serviceCenters, eq(serviceCenters.id, payments.centerId))
    .leftJoin(outbox, eq(outbox.idempotencyKey, sql`'refund:' || ${payments.id}`))
    .where(and(eq(payments.operatorId, operatorId), eq(payments.status, 'refund_pending')))
    .orderBy(desc(sql`${outbox.status} = 'dead'`), asc(payments.updatedAt))
    .limit(500);
  return rows.map(({ payment, reference, center, job }) => ({
    paymentId: payment.id,
    reference,
    requestId: payment.requestId,
    method: payment.method,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    owedSince: payment.updatedAt,
    where:
      payment.provider === COUNTER
        ? { center: center ?? '—' }
        : {
            gateway: payment.provider,
            jobId: job?.id ?? null,
            state: job?.status === 'dead' ? 'dead' : (job?.attempts ?? 0) > 0 ? 'retrying' : 'queued',
          },
    lastError: job?.lastError ?? null,
  }));
}
