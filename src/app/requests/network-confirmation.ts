import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

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
  if (!requestId) return;
  await db.execute(sql`
    insert into request_events (operator_id, request_id, type, from_status, to_status, actor_kind, created_at)
    select r.operator_id, r.id, ${NETWORK_CONFIRMED}, r.status, r.status, 'system', ${now.toISOString()}::timestamptz
      from replacement_requests r
     where r.id = ${requestId}::uuid
       and not exists (select 1 from request_events e where e.request_id = r.id and e.type = ${NETWORK_CONFIRMED})`);
}
