import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { requestEvents } from '../../db/schema/requests.ts';
import { ownRequest, type ReplacementRequest, type SubscriberActor } from './replacement-draft.ts';

export type TimelineEvent = Pick<typeof requestEvents.$inferSelect, 'id' | 'type' | 'toStatus' | 'createdAt' | 'data'>;
export type RequestStatusView = { request: ReplacementRequest; msisdn: string; events: TimelineEvent[] };

/** One of the account's own requests with its timeline, oldest event first. */
export async function requestStatus(
  db: Db,
  actor: SubscriberActor,
  requestId: string,
): Promise<RequestStatusView | null> {
  const own = await ownRequest(db, actor, requestId);
  if (!own) return null;
  const events = await db
    .select({
      id: requestEvents.id,
      type: requestEvents.type,
      toStatus: requestEvents.toStatus,
      createdAt: requestEvents.createdAt,
      data: requestEvents.data,
    })
    .from(requestEvents)
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.id));
  return { ...own, events };
}
