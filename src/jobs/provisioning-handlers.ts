import type { Provisioning } from '../integrations/provisioning/provisioning.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics carried out by the network's provisioning system. */
export function provisioningHandlers(provisioning: Provisioning): Pick<OutboxHandlers, 'line.suspend' | 'line.resume'> {
  return {
    'line.suspend': ({ msisdn }, { idempotencyKey }) => provisioning.suspendLine({ msisdn, idempotencyKey }),
    'line.resume': ({ msisdn }, { idempotencyKey }) => provisioning.resumeLine({ msisdn, idempotencyKey }),
  };
}
