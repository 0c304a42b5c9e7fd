import { eq, sql } from 'drizzle-orm';
import { openSecret } from '../app/secret-box.ts';
import type { Db } from '../db/client.ts';
import { webhookDeliveries, webhookSubscriptions } from '../db/schema/webhooks.ts';
import { type OutboundPolicy, partnerPost } from '../integrations/outbound/partner-post.ts';
import { signatureHeader } from '../integrations/signed-notifications.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

const TIMEOUT_MS = 10_000;
/** Only the status, the time and, for a failure, the error are kept: never what the partner answered. */
const KEPT_ERROR = 300;

/**
 * Posts a webhook event to the subscriber's URL, signed like simdesk's own providers sign
 * theirs (`Simdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`), and notes
 * the answer in the delivery log. Anything but a 2xx is retried by the outbox with backoff;
 * a subscription switched off meanwhile is not called.
 */
export function webhookHandlers(
  db: Db,
  documentKey: Buffer,
  partners: OutboundPolicy,
): Pick<OutboxHandlers, 'webhook.deliver'> {
  return {
    'webhook.deliver': async ({ deliveryId }, { idempotencyKey, signal }) => {
      const [found] = await db
        .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions })
        .from(webhookDeliveries)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
        .where(eq(webhookDeliveries.id, deliveryId));
      if (!found?.subscription.active) return;
      const { delivery, subscription } = found;
      const body = JSON.stringify(delivery.body);
      const secret = openSecret(documentKey, subscription.secretEncrypted, subscription.id);
      let status: number | null = null;
      let answer: string;
      try {
        const answered = await partnerPost(partners, subscription.url, {
          headers: {
            'content-type': 'application/json',
            'simdesk-signature': signatureHeader(secret, body),
            'simdesk-event': delivery.event,
            'idempotency-key': idempotencyKey,
          },
          body,
          timeoutMs: TIMEOUT_MS,
          signal,
        });
        status = answered.status;
        answer = `${answered.ms} ms`;
      } catch (error) {
        answer = (error as Error).message.slice(0, KEPT_ERROR);
      }
      const delivered = status !== null && status >= 200 && status < 300;
      const now = new Date();
      await db
        .update(webhookDeliveries)
        .set({
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lastStatusCode: status,
          lastResponse: answer,
          lastAttemptAt: now,
          ...(delivered && { deliveredAt: now }),
        })
        .where(eq(webhookDeliveries.id, deliveryId));
      if (!delivered) throw new Error(`webhook ${subscription.url} answered ${status ?? answer}`);
    },
  };
}
