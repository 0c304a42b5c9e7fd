import { latestLineCommand } from '../app/lines/line-network-state.ts';
import { withLease } from '../app/outbox/leases.ts';
import { confirmNetworkSwap } from '../app/requests/network-confirmation.ts';
import type { Db } from '../db/client.ts';
import type { Provisioning } from '../integrations/provisioning/provisioning.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/**
 * Outbox topics carried out by the network's provisioning system. The commands of one number
 * go to the network one at a time, across instances (a lease on the number), and a block or
 * unblock sends the number's latest one, under that command's key, rather than its own: a
 * retried older command cannot undo a newer one, so block, an unblock that failed once, block
 * again ends blocked whatever order the retries run in. Sending the latest command twice is
 * harmless: the network applies a key once.
 */
export function provisioningHandlers(
  db: Db,
  provisioning: Provisioning,
): Pick<OutboxHandlers, 'line.suspend' | 'line.resume' | 'line.swap_sim'> {
  const oneAtATime = <T>(msisdn: string, work: () => Promise<T>) => withLease(db, `network:${msisdn}`, work);
  const sendLatestState = (msisdn: string, operatorId: string | null) =>
    oneAtATime(msisdn, async () => {
      const latest = await latestLineCommand(db, operatorId, msisdn);
      if (!latest) return;
      const call = { msisdn, idempotencyKey: latest.idempotencyKey };
      if (latest.topic === 'line.suspend') await provisioning.suspendLine(call);
      else await provisioning.resumeLine(call);
    });
  return {
    'line.suspend': ({ msisdn }, { operatorId }) => sendLatestState(msisdn, operatorId),
    'line.resume': ({ msisdn }, { operatorId }) => sendLatestState(msisdn, operatorId),
    'line.swap_sim': (swap, { idempotencyKey }) =>
      oneAtATime(swap.msisdn, async () => {
        await provisioning.swapSim({ ...swap, idempotencyKey });
        await confirmNetworkSwap(db, idempotencyKey);
      }),
  };
}
