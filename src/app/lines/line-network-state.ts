import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { outbox } from '../../db/schema/system.ts';

/** The commands that set whether a number has service; each block or unblock queues one. */
export const LINE_STATE_TOPICS = ['line.suspend', 'line.resume'] as const;
export type LineStateTopic = (typeof LINE_STATE_TOPICS)[number];

export type LineStateCommand = { id: number; topic: LineStateTopic; idempotencyKey: string };

/**
 * The latest block or unblock of the number: the state the network must end in, with the key
 * that state was queued under. It is written in the same transaction as the line's status.
 */
export async function latestLineCommand(
  db: Db | Tx,
  operatorId: string | null,
  msisdn: string,
): Promise<LineStateCommand | null> {
  const [latest] = await db
    .select({ id: outbox.id, topic: outbox.topic, idempotencyKey: outbox.idempotencyKey })
    .from(outbox)
    .where(
      and(
        operatorId === null ? sql`${outbox.operatorId} is null` : eq(outbox.operatorId, operatorId),
        sql`${outbox.payload}->>'msisdn' = ${msisdn}`,
        inArray(outbox.topic, [...LINE_STATE_TOPICS]),
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(1);
  return latest ? { ...latest, topic: latest.topic as LineStateTopic } : null;
}
