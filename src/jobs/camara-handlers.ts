import { eq } from 'drizzle-orm';
import { openSecret } from '../app/secret-box.ts';
import { stopGoneSubscription } from '../app/sim-swap/swap-subscriptions.ts';
import type { Db } from '../db/client.ts';
import { camaraSubscriptions } from '../db/schema/api.ts';
import { type OutboundPolicy, partnerPost } from '../integrations/outbound/partner-post.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

const TIMEOUT_MS = 10_000;

/**
 * POSTs a CloudEvent to a CAMARA subscription's sink (`application/cloudevents+json`, structured
 * mode) with the bearer token the subscriber gave. Anything but a 2xx is retried by the outbox
 * with backoff, except 410 Gone: the sink is no longer there, so the subscription stops. A sink
 * token that has expired is not used: the event stays undelivered, as the subscriber asked.
 */
export function camaraHandlers(
  db: Db,
  documentKey: Buffer,
  partners: OutboundPolicy,
): Pick<OutboxHandlers, 'camara.notify'> {
  return {
    'camara.notify': async ({ subscriptionId, event }, { signal }) => {
      const [subscription] = await db
        .select()
        .from(camaraSubscriptions)
        .where(eq(camaraSubscriptions.id, subscriptionId));
      if (!subscription) return;
      const now = new Date();
      if (subscription.sinkTokenExpiresAt && subscription.sinkTokenExpiresAt <= now) return;
      const token = subscription.sinkTokenSealed
        ? openSecret(documentKey, subscription.sinkTokenSealed, subscription.id)
        : null;
      const response = await partnerPost(partners, subscription.sink, {
        headers: {
          'content-type': 'application/cloudevents+json',
          'x-correlator': event.id,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(event),
        timeoutMs: TIMEOUT_MS,
        signal,
      });
      if (response.status === 410) return stopGoneSubscription(db, subscription.id, now);
      if (response.status < 200 || response.status >= 300)
        throw new Error(`CAMARA sink ${subscription.sink} answered ${response.status}`);
    },
  };
}
