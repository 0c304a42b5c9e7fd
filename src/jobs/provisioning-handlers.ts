import type { Provisioning } from '../integrations/provisioning/provisioning.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics carried out by the network's provisioning system. */
export function provisioningHandlers(
  provisioning: Provisioning,
): Pick<OutboxHandlers, 'line.suspend' | 'line.resume' | 'line.swap_sim'> {
  return {
    'line.suspend': ({ msisdn }, { idempotencyKey }) => provisioning.suspendLine({ msisdn, idempotencyKey }),
    'line.resume': ({ msisdn }, { idempotencyKey }) => provisioning.resumeLine({ msisdn, idempotencyKey }),
    'line.swap_sim': (swap, { idempotencyKey }) => provisioning.swapSim({ ...swap, idempotencyKey }),
  };
}
