import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { payments } from '../../db/schema/requests.ts';
import type { PaymentGateway } from '../../integrations/payments/payment-gateway.ts';
import { enqueue } from '../outbox/outbox.ts';

/** The provider of payments taken at a counter, in cash or on the center's card terminal. */
export const COUNTER = 'counter';

/**
 * Queues the refund of a request's settled payment, in the transaction that cancels or rejects
 * it: through the gateway it was made with, or, for cash and the card terminal at a counter, as a
 * task for that center's agents (see counter-refunds.ts): the gateway never saw that money.
 */
export async function refundRequestPayment(tx: Tx, requestId: string, now: Date): Promise<void> {
  const [paid] = await tx
    .update(payments)
    .set({ status: 'refund_pending', updatedAt: now })
    .where(and(eq(payments.requestId, requestId), eq(payments.status, 'succeeded')))
    .returning();
  if (paid && paid.provider !== COUNTER)
    await enqueue(tx, {
      operatorId: paid.operatorId,
      topic: 'payment.refund',
      payload: { paymentId: paid.id },
      idempotencyKey: `refund:${paid.id}`,
    });
}

/** The outbox worker's side of a refund: the gateway call, keyed so a retry never refunds twice. */
export async function executeRefund(db: Db, gateway: PaymentGateway, paymentId: string, now = new Date()) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  if (!payment?.providerRef)
    throw Object.assign(new Error(`payment ${paymentId} has nothing to refund`), { retryable: false });
  await gateway.refund({
    ref: payment.providerRef,
    amountMinor: payment.amountMinor,
    idempotencyKey: `refund:${payment.id}`,
  });
  await db
    .update(payments)
    .set({ status: 'refunded', refundedAt: now, updatedAt: now })
    .where(and(eq(payments.id, payment.id), eq(payments.status, 'refund_pending')));
}
