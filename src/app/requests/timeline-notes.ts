import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serializeOn } from '../transact.ts';

/**
 * Records in a request's timeline what an outside system did (the network moved the number, a
 * phone installed the eSIM profile), beside the state machine's events: at the request's current
 * status, once per request and type however often the system tells it. True when it was new.
 */
export async function noteOnce(
  db: Db,
  requestId: string,
  type: string,
  at: Date,
  data: Record<string, unknown> = {},
): Promise<boolean> {
  const inserted = await db.transaction(async (tx) => {
    // Concurrent notices of the same thing are taken one after the other, so the second finds the first.
    await serializeOn(tx, `note:${requestId}:${type}`);
    return tx.execute(sql`
    insert into request_events (operator_id, request_id, type, from_status, to_status, actor_kind, data, created_at)
    select r.operator_id, r.id, ${type}, r.status, r.status, 'system', ${JSON.stringify(data)}::jsonb,
           ${at.toISOString()}::timestamptz
      from replacement_requests r
     where r.id = ${requestId}::uuid
       and not exists (select 1 from request_events e where e.request_id = r.id and e.type = ${type})
    returning id`);
  });
  return ((inserted as unknown as { rows?: unknown[] }).rows?.length ?? 0) > 0;
}
