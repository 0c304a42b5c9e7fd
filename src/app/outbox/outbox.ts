import type { Tx } from '../../db/client.ts';
import { outbox } from '../../db/schema/system.ts';
import type { CloudEvent } from '../../domain/swap-subscription.ts';
import type { ResetAsked } from '../auth/password-reset.ts';

/** Every side effect the outbox carries, by topic, with its payload. */
export type OutboxMessages = {
  'line.suspend': { msisdn: string };
  'line.resume': { msisdn: string };
  'line.swap_sim': { msisdn: string; newIccid: string; newImsi: string };
  /** Rendered in the recipient's language when enqueued; the worker only delivers it. */
  'email.send': { to: string; subject: string; text: string };
  'sms.send': { to: string; text: string };
  /** "Forgot password", answered at once and worked on here (see askPasswordReset). */
  'password.reset': ResetAsked;
  /** Refund of a settled payment through the gateway it was made with. */
  'payment.refund': { paymentId: string };
  /** An event posted to one of the operator's webhook subscriptions (see webhook-events.ts). */
  'webhook.deliver': { deliveryId: number };
  /** A CloudEvent for a CAMARA SIM Swap subscription's sink (see swap-subscriptions.ts). */
  'camara.notify': { subscriptionId: string; event: CloudEvent };
  /** ES2+ calls to the SM-DP+ (see esim-orders.ts): a fresh profile for an approved request, its release, its end. */
  'esim.order': { requestId: string };
  'esim.release': { iccid: string };
  'esim.cancel': { iccid: string; final: 'Available' | 'Unavailable' };
};
export type OutboxTopic = keyof OutboxMessages;

/**
 * Records a side effect in the caller's transaction: it happens if and only if the change
 * commits. A repeated idempotency key is ignored, so a retried request enqueues nothing twice.
 */
export async function enqueue<T extends OutboxTopic>(
  tx: Tx,
  message: { operatorId: string; topic: T; payload: OutboxMessages[T]; idempotencyKey: string },
): Promise<void> {
  await tx.insert(outbox).values(message).onConflictDoNothing({ target: outbox.idempotencyKey });
}
