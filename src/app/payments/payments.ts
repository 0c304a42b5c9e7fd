import { and, desc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { payments, replacementRequests } from '../../db/schema/requests.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import {
  type GatewayMethod,
  type GatewayPayment,
  GatewayUnavailable,
  type PaymentGateway,
} from '../../integrations/payments/payment-gateway.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';
import { ownRequest, type SubscriberActor } from '../requests/replacement-draft.ts';
import { noticeRequestUpdate } from '../requests/request-notices.ts';
import { applyRequestEvent } from '../requests/request-transitions.ts';
import { transact } from '../transact.ts';

export type Payment = typeof payments.$inferSelect;
export type StartPaymentError = 'payment.not_due' | 'payment.unavailable';

const ATTEMPT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Starts paying a request's fee on the gateway's hosted page. `attemptKey` comes from the pay
 * form, so a double submit finds the same payment and the same hosted page instead of a second
 * charge; the gateway itself is called with the payment's id as its idempotency key.
 */
export async function startPayment(
  db: Db,
  gateway: PaymentGateway,
  actor: SubscriberActor,
  requestId: string,
  input: { method: GatewayMethod; attemptKey: string; returnOrigin: string; description: string },
): Promise<Result<{ checkoutUrl: string; payment: Payment }, StartPaymentError>> {
  const own = await ownRequest(db, actor, requestId);
  const request = own?.request;
  if (request?.status !== 'awaiting_payment' || request.feeMinor <= 0 || !ATTEMPT.test(input.attemptKey))
    return err('payment.not_due');
  const idempotencyKey = `pay:${request.id}:${input.attemptKey}`;
  await db
    .insert(payments)
    .values({
      operatorId: request.operatorId,
      requestId: request.id,
      method: input.method,
      amountMinor: request.feeMinor,
      currency: request.currency,
      provider: gateway.name,
      idempotencyKey,
    })
    .onConflictDoNothing({ target: payments.idempotencyKey });
  const [payment] = await db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
  if (!payment || payment.requestId !== request.id || payment.status !== 'pending') return err('payment.not_due');
  try {
    const created = await gateway.createPayment({
      idempotencyKey: payment.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      method: input.method,
      description: input.description,
      returnUrl: `${input.returnOrigin}/requests/${request.id}/paid?payment=${payment.id}`,
      metadata: { paymentId: payment.id, reference: request.reference },
    });
    await db.update(payments).set({ providerRef: created.ref }).where(eq(payments.id, payment.id));
    return ok({ checkoutUrl: created.checkoutUrl, payment: { ...payment, providerRef: created.ref } });
  } catch (error) {
    if (error instanceof GatewayUnavailable) return err('payment.unavailable');
    throw error;
  }
}

/**
 * Applies what the gateway says about a payment, from its notification or when the payer comes
 * back; whichever arrives second changes nothing. A success moves the request on to review; a
 * success for a request that no longer waits for it (cancelled, or paid twice from two tabs) is
 * refunded at once.
 */
export async function settlePayment(
  db: Db,
  links: Links,
  provider: string,
  reported: GatewayPayment,
  now = new Date(),
): Promise<Result<Payment, 'payment.unknown' | 'payment.mismatch'>> {
  return transact(db, async (tx) => {
    const [payment] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.provider, provider), eq(payments.providerRef, reported.ref)))
      .for('update');
    if (!payment) return err('payment.unknown' as const);
    if (reported.amountMinor !== payment.amountMinor || reported.currency !== payment.currency)
      return err('payment.mismatch' as const);
    if (payment.status !== 'pending' && payment.status !== 'requires_action') return ok(payment);

    if (reported.status === 'requires_action' || reported.status === 'pending') {
      const [updated] = await tx
        .update(payments)
        .set({ status: reported.status, updatedAt: now })
        .where(eq(payments.id, payment.id))
        .returning();
      return ok(updated as Payment);
    }
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(eq(replacementRequests.id, payment.requestId))
      .for('update');
    if (!request) return err('payment.unknown' as const);
    const data = { paymentId: payment.id, providerRef: reported.ref, amountMinor: payment.amountMinor };

    if (reported.status === 'failed') {
      const [updated] = await tx
        .update(payments)
        .set({ status: 'failed', failureReason: reported.failureReason ?? 'declined', updatedAt: now })
        .where(eq(payments.id, payment.id))
        .returning();
      if (request.status === 'awaiting_payment')
        await applyRequestEvent(
          tx,
          request,
          { type: 'payment_failed' },
          { kind: 'system', id: provider },
          now,
          {},
          {
            ...data,
            reason: reported.failureReason,
          },
        );
      return ok(updated as Payment);
    }

    if (request.status !== 'awaiting_payment') {
      // The money was taken: give it back, and show it as a refund rather than a failure.
      const [updated] = await tx
        .update(payments)
        .set({
          status: 'refund_pending',
          succeededAt: now,
          failureReason: 'not_due',
          cardLast4: reported.cardLast4,
          updatedAt: now,
        })
        .where(eq(payments.id, payment.id))
        .returning();
      await enqueue(tx, {
        operatorId: payment.operatorId,
        topic: 'payment.refund',
        payload: { paymentId: payment.id },
        idempotencyKey: `refund:${payment.id}`,
      });
      return ok(updated as Payment);
    }
    const [updated] = await tx
      .update(payments)
      .set({ status: 'succeeded', succeededAt: now, updatedAt: now, cardLast4: reported.cardLast4 })
      .where(eq(payments.id, payment.id))
      .returning();
    await applyRequestEvent(
      tx,
      request,
      { type: 'payment_succeeded' },
      { kind: 'system', id: provider },
      now,
      {
        paidAt: now,
      },
      data,
    );
    await noticeRequestUpdate(tx, links, request, 'paid', { reference: request.reference });
    await appendAudit(
      tx,
      {
        operatorId: payment.operatorId,
        actorKind: 'system',
        actorId: provider,
        action: 'payment.succeeded',
        targetKind: 'payment',
        targetId: payment.id,
        data,
      },
      now,
    );
    return ok(updated as Payment);
  });
}

/** The request's payments, newest first, for its status page and receipt. */
export function requestPayments(db: Db, requestId: string): Promise<Payment[]> {
  return db.select().from(payments).where(eq(payments.requestId, requestId)).orderBy(desc(payments.createdAt));
}

/** A payment of one of the account's requests, for the page the gateway sends the payer back to. */
export async function ownPayment(db: Db, actor: SubscriberActor, requestId: string, paymentId: string) {
  if (!ATTEMPT.test(paymentId)) return null;
  const own = await ownRequest(db, actor, requestId);
  if (!own) return null;
  const [payment] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.requestId, requestId)));
  return payment ?? null;
}

/**
 * Asks the gateway about payments still open after a few minutes and settles them: the safety
 * net for a notification that never arrived while the payer had already closed the page.
 */
export async function reconcilePayments(
  db: Db,
  links: Links,
  gateway: PaymentGateway,
  now = new Date(),
  olderThanMs = 5 * 60_000,
): Promise<number> {
  const open = await db
    .select({ providerRef: payments.providerRef })
    .from(payments)
    .where(
      and(
        eq(payments.provider, gateway.name),
        inArray(payments.status, ['pending', 'requires_action']),
        isNotNull(payments.providerRef),
        lte(payments.createdAt, new Date(now.getTime() - olderThanMs)),
      ),
    )
    .limit(100);
  let settled = 0;
  for (const { providerRef } of open) {
    const reported = await gateway.retrieve(providerRef as string);
    if (!reported || reported.status === 'pending' || reported.status === 'requires_action') continue;
    const result = await settlePayment(db, links, gateway.name, reported, now);
    if (result.ok) settled++;
  }
  return settled;
}
