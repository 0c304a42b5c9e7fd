import type { Db } from '../../db/client.ts';
import { noteOnce } from './timeline-notes.ts';

/** The key a request's SIM swap carries to the network. */
export const swapKey = (requestId: string) => `swap:${requestId}`;

/** A timeline entry that records what the network did, beside the state machine's events. */
export const NETWORK_CONFIRMED = 'network_confirmed';

/**
 * The network has moved the number to the new SIM: the request's timeline says so, once, and
 * its status page stops showing the change as pending. Until then the old SIM is cut off in
 * simdesk but the network may still route to it, which the subscriber is told.
 */
export async function confirmNetworkSwap(db: Db, idempotencyKey: string, now = new Date()): Promise<void> {
  const requestId = idempotencyKey.startsWith('swap:') ? idempotencyKey.slice('swap:'.length) : null;
  if (requestId) await noteOnce(db, requestId, NETWORK_CONFIRMED, now);
}
