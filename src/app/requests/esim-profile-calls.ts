import type { Tx } from '../../db/client.ts';
import { enqueue } from '../outbox/outbox.ts';

/** ES2+ CancelOrder through the outbox: an unused profile goes back to the SM-DP+'s pool; `retire` makes it unusable. */
export async function cancelEsimOrder(tx: Tx, operatorId: string, iccid: string, retire: boolean): Promise<void> {
  await enqueue(tx, {
    operatorId,
    topic: 'esim.cancel',
    payload: { iccid, final: retire ? 'Unavailable' : 'Available' },
    idempotencyKey: `esim-cancel:${iccid}`,
  });
}

/** ES2+ ReleaseProfile through the outbox: the profile may now be downloaded with its activation code. */
export async function releaseEsimProfile(tx: Tx, operatorId: string, iccid: string): Promise<void> {
  await enqueue(tx, {
    operatorId,
    topic: 'esim.release',
    payload: { iccid },
    idempotencyKey: `esim-release:${iccid}`,
  });
}
