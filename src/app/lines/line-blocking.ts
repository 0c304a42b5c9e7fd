import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { enqueue } from '../outbox/outbox.ts';
import { transact } from '../transact.ts';
import { emitWebhook } from '../webhooks/webhook-events.ts';

export type LineActor = { operatorId: string; accountId: string; ip: string };
export type LineChangeError = 'line.not_found';

/**
 * Blocks a lost or stolen SIM: the line is marked blocked and the suspension is queued for the
 * network in the same transaction, then delivered by the outbox worker. Only the account's own
 * lines can be blocked; blocking a blocked line changes nothing.
 */
export function blockLine(db: Db, actor: LineActor, lineId: string, now = new Date()) {
  return setBlocked(db, actor, lineId, true, now);
}

/** Lifts a block; the caller must have re-authenticated the subscriber first. */
export function unblockLine(db: Db, actor: LineActor, lineId: string, now = new Date()) {
  return setBlocked(db, actor, lineId, false, now);
}

async function setBlocked(
  db: Db,
  actor: LineActor,
  lineId: string,
  block: boolean,
  now: Date,
): Promise<Result<{ msisdn: string; changed: boolean }, LineChangeError>> {
  return transact(db, async (tx) => {
    const [line] = await tx
      .select({ id: lines.id, msisdn: lines.msisdn, status: lines.status })
      .from(lines)
      .where(and(eq(lines.operatorId, actor.operatorId), eq(lines.accountId, actor.accountId), eq(lines.id, lineId)))
      .for('update');
    if (!line || line.status === 'terminated') return err('line.not_found' as const);
    if ((line.status === 'blocked') === block) return ok({ msisdn: line.msisdn, changed: false });
    await tx
      .update(lines)
      .set({ status: block ? 'blocked' : 'active', blockedAt: block ? now : null })
      .where(eq(lines.id, line.id));
    await enqueue(tx, {
      operatorId: actor.operatorId,
      topic: block ? 'line.suspend' : 'line.resume',
      payload: { msisdn: line.msisdn },
      idempotencyKey: `${block ? 'suspend' : 'resume'}:${line.id}:${now.getTime()}`,
    });
    await emitWebhook(tx, actor.operatorId, block ? 'line.blocked' : 'line.unblocked', { msisdn: line.msisdn }, now);
    await appendAudit(
      tx,
      {
        operatorId: actor.operatorId,
        actorKind: 'subscriber',
        actorId: actor.accountId,
        action: block ? 'line.block' : 'line.unblock',
        targetKind: 'line',
        targetId: line.id,
        ip: actor.ip,
      },
      now,
    );
    return ok({ msisdn: line.msisdn, changed: true });
  });
}
