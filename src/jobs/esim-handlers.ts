import type { Links } from '../app/operators/links.ts';
import { orderEsimProfile } from '../app/requests/esim-orders.ts';
import type { Db } from '../db/client.ts';
import type { SmdpPlus } from '../integrations/smdp/smdp.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

type EsimTopics = 'esim.order' | 'esim.release' | 'esim.cancel';

/**
 * ES2+ calls to the SM-DP+, each under its outbox message's idempotency key. Without an SM-DP+
 * (eSIM profiles loaded into stock and assigned by staff) an approved request's order is left to
 * them, and no profile from an SM-DP+ exists to release or cancel.
 */
export function esimHandlers(db: Db, links: Links, smdp: SmdpPlus | null): Pick<OutboxHandlers, EsimTopics> {
  const ordered = (what: string) => {
    if (!smdp) throw Object.assign(new Error(`${what} needs an SM-DP+ (SMDP)`), { retryable: false });
    return smdp;
  };
  return {
    'esim.order': async ({ requestId }) => {
      if (smdp) await orderEsimProfile(db, links, smdp, requestId);
    },
    'esim.release': ({ iccid }, { idempotencyKey }) =>
      ordered('ReleaseProfile').releaseProfile({ iccid, idempotencyKey }),
    'esim.cancel': ({ iccid, final }, { idempotencyKey }) =>
      ordered('CancelOrder').cancelOrder({ iccid, finalProfileStatusIndicator: final, idempotencyKey }),
  };
}
