import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type WebhookEvent, webhookDeliveries, webhookSubscriptions } from '../../db/schema/webhooks.ts';
import { enqueue } from '../outbox/outbox.ts';

/**
 * Tells the operator's listening systems of an event, in the transaction that made it happen:
 * one delivery per active subscription to the event, each sent (and retried) by the outbox, so
 * an event is announced if and only if its change commits.
 */
export async function emitWebhook(
  tx: Tx,
  operatorId: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const listening = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.operatorId, operatorId),
        eq(webhookSubscriptions.active, true),
        sql`${event} = any(${webhookSubscriptions.events})`,
      ),
    );
  if (listening.length === 0) return;
  const eventId = randomUUID();
  const body = { id: eventId, type: event, occurredAt: now.toISOString(), data };
  for (const subscription of listening) {
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ operatorId, subscriptionId: subscription.id, eventId, event, body, createdAt: now })
      .returning({ id: webhookDeliveries.id });
    const deliveryId = (delivery as { id: number }).id;
    await enqueue(tx, {
      operatorId,
      topic: 'webhook.deliver',
      payload: { deliveryId },
      idempotencyKey: `webhook:${deliveryId}`,
    });
  }
}
