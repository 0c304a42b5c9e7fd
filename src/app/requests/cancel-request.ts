import type { Db } from '../../db/client.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { transact } from '../transact.ts';
import { lockOwnRequest, type SubscriberActor } from './replacement-draft.ts';
import { noticeRequestUpdate } from './request-notices.ts';
import { applyRequestEvent } from './request-transitions.ts';

/**
 * The subscriber withdraws a request before the SIM leaves: the state machine allows it only
 * before dispatch, and a settled fee is refunded through the outbox in the same transaction.
 */
export async function cancelRequest(
  db: Db,
  links: Links,
  actor: SubscriberActor,
  requestId: string,
  now = new Date(),
): Promise<Result<{ refund: boolean }, 'request.not_found' | 'request.cannot_cancel'>> {
  return transact(db, async (tx) => {
    const request = await lockOwnRequest(tx, actor, requestId);
    if (!request) return err('request.not_found' as const);
    const applied = await applyRequestEvent(
      tx,
      request,
      { type: 'cancel' },
      { kind: 'subscriber', id: actor.accountId },
      now,
    );
    if (!applied.ok) return err('request.cannot_cancel' as const);
    await appendAudit(
      tx,
      {
        operatorId: actor.operatorId,
        actorKind: 'subscriber',
        actorId: actor.accountId,
        action: 'request.cancel',
        targetKind: 'replacement_request',
        targetId: request.id,
        ip: actor.ip,
      },
      now,
    );
    const refund = applied.value.effects.includes('refund');
    await noticeRequestUpdate(tx, links, request, 'cancelled', {});
    return ok({ refund });
  });
}
