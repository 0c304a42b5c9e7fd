import { confirmNetworkSwap } from '../app/requests/network-confirmation.ts';
import type { Db } from '../db/client.ts';
import type { Provisioning } from '../integrations/provisioning/provisioning.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics carried out by the network's provisioning system. */
export function provisioningHandlers(
  db: Db,
  provisioning: Provisioning,
): Pick<OutboxHandlers, 'line.suspend' | 'line.resume' | 'line.swap_sim'> {
  return {
    'line.suspend': ({ msisdn }, { idempotencyKey }) => provisioning.suspendLine({ msisdn, idempotencyKey }),
    'line.resume': ({ msisdn }, { idempotencyKey }) => provisioning.resumeLine({ msisdn, idempotencyKey }),
    'line.swap_sim': async (swap, { idempotencyKey }) => {
      await provisioning.swapSim({ ...swap, idempotencyKey });
      await confirmNetworkSwap(db, idempotencyKey);
    },
  };
}
