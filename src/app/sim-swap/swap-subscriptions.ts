import { randomUUID } from 'node:crypto';
import { and, desc, eq, lte, ne, or } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { camaraSubscriptions } from '../../db/schema/api.ts';
import { UUID } from '../../domain/identifiers.ts';
import {
  type CloudEvent,
  endedEvent,
  type SubscriptionAsk,
  swappedEvent,
  type TerminationReason,
} from '../../domain/swap-subscription.ts';
import { enqueue } from '../outbox/outbox.ts';
import { sealSecret } from '../secret-box.ts';

export type SwapSubscription = typeof camaraSubscriptions.$inferSelect;
type Owner = { operatorId: string; clientId: string };

/** Posts one CloudEvent to the subscription's sink through the outbox (retried until it is taken). */
async function notify(tx: Tx, subscription: SwapSubscription, event: CloudEvent) {
  await enqueue(tx, {
    operatorId: subscription.operatorId,
    topic: 'camara.notify',
    payload: { subscriptionId: subscription.id, event },
    idempotencyKey: `camara:${subscription.id}:${event.id}`,
  });
}

/** Ends a subscription and tells its sink why, in the caller's transaction. */
async function end(tx: Tx, subscription: SwapSubscription, reason: TerminationReason, now: Date) {
  await tx
    .update(camaraSubscriptions)
    .set({ status: reason === 'SUBSCRIPTION_DELETED' ? 'DELETED' : 'EXPIRED', terminationReason: reason, endedAt: now })
    .where(eq(camaraSubscriptions.id, subscription.id));
  await notify(tx, subscription, endedEvent(randomUUID(), subscription.id, reason, now));
}

/** A new subscription; its sink token is sealed with the document key. */
export async function createSwapSubscription(
  db: Db,
  documentKey: Buffer,
  owner: Owner,
  ask: SubscriptionAsk & { phoneNumber: string; fromToken: boolean },
  now = new Date(),
): Promise<SwapSubscription> {
  const id = randomUUID();
  const [created] = await db
    .insert(camaraSubscriptions)
    .values({
      id,
      operatorId: owner.operatorId,
      clientId: owner.clientId,
      phoneNumber: ask.phoneNumber,
      fromToken: ask.fromToken,
      sink: ask.sink,
      sinkTokenSealed: ask.sinkToken ? sealSecret(documentKey, ask.sinkToken.token, id) : null,
      sinkTokenExpiresAt: ask.sinkToken?.expiresAt ?? null,
      expiresAt: ask.expiresAt,
      maxEvents: ask.maxEvents,
      startsAt: now,
    })
    .returning();
  return created as SwapSubscription;
}

/** The client's subscriptions not deleted, newest first; of one number when the token names it. */
export function swapSubscriptionsOf(db: Db, owner: Owner, phoneNumber: string | null): Promise<SwapSubscription[]> {
  const where = [
    eq(camaraSubscriptions.operatorId, owner.operatorId),
    eq(camaraSubscriptions.clientId, owner.clientId),
    ne(camaraSubscriptions.status, 'DELETED'),
  ];
  if (phoneNumber) where.push(eq(camaraSubscriptions.phoneNumber, phoneNumber));
  return db
    .select()
    .from(camaraSubscriptions)
    .where(and(...where))
    .orderBy(desc(camaraSubscriptions.startsAt));
}

/** One of the client's subscriptions not deleted; anyone else's (or another number's, with a three-legged token) is null. */
export async function swapSubscriptionOf(
  db: Db | Tx,
  owner: Owner,
  id: string,
  phoneNumber: string | null,
): Promise<SwapSubscription | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select()
    .from(camaraSubscriptions)
    .where(
      and(
        eq(camaraSubscriptions.operatorId, owner.operatorId),
        eq(camaraSubscriptions.clientId, owner.clientId),
        eq(camaraSubscriptions.id, id),
        ne(camaraSubscriptions.status, 'DELETED'),
      ),
    );
  return row && (!phoneNumber || row.phoneNumber === phoneNumber) ? row : null;
}

/** Deletes a subscription; its sink hears `subscription-ended` (SUBSCRIPTION_DELETED) if it was still running. */
export async function deleteSwapSubscription(
  db: Db,
  owner: Owner,
  id: string,
  phoneNumber: string | null,
  now = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await swapSubscriptionOf(tx, owner, id, phoneNumber);
    if (!row) return false;
    if (row.status === 'ACTIVE') await end(tx, row, 'SUBSCRIPTION_DELETED', now);
    else await tx.update(camaraSubscriptions).set({ status: 'DELETED' }).where(eq(camaraSubscriptions.id, row.id));
    return true;
  });
}

/**
 * A number's SIM changed: every running subscription to it is sent `swapped`, in the
 * transaction of the swap; one that reaches its maximum of events ends with it.
 */
export async function announceSwap(tx: Tx, operatorId: string, msisdn: string, now: Date): Promise<void> {
  const running = await tx
    .select()
    .from(camaraSubscriptions)
    .where(
      and(
        eq(camaraSubscriptions.operatorId, operatorId),
        eq(camaraSubscriptions.phoneNumber, msisdn),
        eq(camaraSubscriptions.status, 'ACTIVE'),
      ),
    )
    .for('update');
  for (const subscription of running) {
    if (lapse(subscription, now)) {
      await end(tx, subscription, lapse(subscription, now) as TerminationReason, now);
      continue;
    }
    await notify(tx, subscription, swappedEvent(randomUUID(), subscription, now));
    const sent = subscription.eventsSent + 1;
    await tx.update(camaraSubscriptions).set({ eventsSent: sent }).where(eq(camaraSubscriptions.id, subscription.id));
    if (subscription.maxEvents !== null && sent >= subscription.maxEvents)
      await end(tx, subscription, 'MAX_EVENTS_REACHED', now);
  }
}

/** Why a running subscription has ended by now, if it has. */
function lapse(s: SwapSubscription, now: Date): TerminationReason | null {
  if (s.expiresAt && s.expiresAt <= now) return 'SUBSCRIPTION_EXPIRED';
  if (s.sinkTokenExpiresAt && s.sinkTokenExpiresAt <= now) return 'ACCESS_TOKEN_EXPIRED';
  return null;
}

/** Ends the subscriptions whose expire time or sink token has passed, telling each sink; run every few seconds. */
export async function endLapsedSubscriptions(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const lapsed = await tx
      .select()
      .from(camaraSubscriptions)
      .where(
        and(
          eq(camaraSubscriptions.status, 'ACTIVE'),
          or(lte(camaraSubscriptions.expiresAt, now), lte(camaraSubscriptions.sinkTokenExpiresAt, now)),
        ),
      )
      .for('update', { skipLocked: true });
    for (const subscription of lapsed) await end(tx, subscription, lapse(subscription, now) as TerminationReason, now);
    return lapsed.length;
  });
}

/** The sink stopped taking events (410 Gone): nothing more is sent to it. */
export async function stopGoneSubscription(db: Db, id: string, now = new Date()): Promise<void> {
  await db
    .update(camaraSubscriptions)
    .set({ status: 'EXPIRED', terminationReason: 'NETWORK_TERMINATED', endedAt: now })
    .where(and(eq(camaraSubscriptions.id, id), eq(camaraSubscriptions.status, 'ACTIVE')));
}
