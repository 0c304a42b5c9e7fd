import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { simChanges } from '../../db/schema/sim-changes.ts';
import { sims } from '../../db/schema/sims.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { type IccidError, parseIccid } from '../../domain/iccid.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';
import { announceSwap } from '../sim-swap/swap-subscriptions.ts';
import { recordingRefusals, transact } from '../transact.ts';
import { emitWebhook } from '../webhooks/webhook-events.ts';
import { cancelEsimOrder, releaseEsimProfile } from './esim-profile-calls.ts';
import { swapKey } from './network-confirmation.ts';
import { lockOwnRequest, type ReplacementRequest, type SubscriberActor } from './replacement-draft.ts';
import { noticeRequestUpdate } from './request-notices.ts';
import { applyRequestEvent, type EventActor, heldByLock } from './request-transitions.ts';

export type ActivationError =
  | 'request.not_found'
  | 'activation.not_ready'
  | 'activation.wrong_sim'
  | 'activation.already_shown'
  | 'request.sim_change_locked'
  | IccidError;
export type OnHold = { hold: Date };

/**
 * The SIM change itself, in the transaction that activates the request: the new SIM becomes the
 * line's only active one and the old one is deactivated (the database allows one active SIM per
 * line), a blocked line works again, the change is recorded for the SIM Swap API, and the
 * network is told through the outbox to move the number and cut the old card off.
 */
async function swapSim(
  tx: Tx,
  links: Links,
  request: ReplacementRequest,
  newSimId: string,
  actor: Activator,
  now: Date,
) {
  const [line] = await tx.select().from(lines).where(eq(lines.id, request.lineId)).for('update');
  const [sim] = await tx.select().from(sims).where(eq(sims.id, newSimId));
  if (!line || !sim) throw new Error(`request ${request.id} lost its line or SIM`);
  const [old] = await tx
    .update(sims)
    .set({ status: 'deactivated', deactivatedAt: now })
    .where(and(eq(sims.lineId, line.id), eq(sims.status, 'active')))
    .returning({ id: sims.id, iccid: sims.iccid, smdp: sims.esimSmdpAddress });
  if (old?.smdp) await cancelEsimOrder(tx, request.operatorId, old.iccid, true);
  await tx
    .update(sims)
    .set({ status: 'active', lineId: line.id, activatedAt: now, centerId: null })
    .where(eq(sims.id, sim.id));
  await tx.update(lines).set({ status: 'active', blockedAt: null, lastSimChangeAt: now }).where(eq(lines.id, line.id));
  await tx.insert(simChanges).values({
    operatorId: request.operatorId,
    lineId: line.id,
    msisdn: line.msisdn,
    oldSimId: old?.id ?? null,
    newSimId: sim.id,
    requestId: request.id,
    channel: request.channel,
    changedAt: now,
  });
  await announceSwap(tx, request.operatorId, line.msisdn, now);
  await enqueue(tx, {
    operatorId: request.operatorId,
    topic: 'line.swap_sim',
    payload: { msisdn: line.msisdn, newIccid: sim.iccid, newImsi: sim.imsi },
    idempotencyKey: swapKey(request.id),
  });
  await emitWebhook(
    tx,
    request.operatorId,
    'sim.activated',
    { requestId: request.id, reference: request.reference, msisdn: line.msisdn, iccid: sim.iccid },
    now,
  );
  await appendAudit(
    tx,
    {
      operatorId: request.operatorId,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'sim.swap',
      targetKind: 'line',
      targetId: line.id,
      ip: actor.ip,
      data: { reference: request.reference, oldSimId: old?.id ?? null, newSimId: sim.id },
    },
    now,
  );
  await noticeRequestUpdate(tx, links, request, 'activated', {});
}

/** Who switches the number over: the subscriber online, or an agent at the counter. */
export type Activator = EventActor & { ip: string };
const subscriber = (actor: SubscriberActor): Activator => ({ kind: 'subscriber', id: actor.accountId, ip: actor.ip });

/** Activates a request holding its SIM and swaps the line over, in the caller's transaction. */
export async function completeActivation(
  tx: Tx,
  links: Links,
  request: ReplacementRequest,
  actor: Activator,
  now: Date,
  extra: Partial<ReplacementRequest> = {},
): Promise<Result<{ msisdn: string }, ActivationError>> {
  const applied = await applyRequestEvent(tx, request, { type: 'activate' }, actor, now, {
    ...extra,
    activatedAt: now,
  });
  if (!applied.ok && applied.error === 'request.sim_change_locked') return err(applied.error);
  if (!applied.ok || !request.simId) return err('activation.not_ready');
  await swapSim(tx, links, request, request.simId, actor, now);
  const [line] = await tx.select({ msisdn: lines.msisdn }).from(lines).where(eq(lines.id, request.lineId));
  return ok({ msisdn: line?.msisdn ?? '' });
}

/** The hold after approval, while it lasts: no swap before it ends. */
export const holdOf = (request: ReplacementRequest, now: Date): OnHold | null =>
  request.holdUntil && request.holdUntil > now ? { hold: request.holdUntil } : null;

/**
 * A delivered card is activated by typing the ICCID printed on it: only the card reserved for
 * this request is accepted, and only after the hold that follows approval.
 */
export async function activateDeliveredSim(
  db: Db,
  links: Links,
  actor: SubscriberActor,
  requestId: string,
  typedIccid: string,
  now = new Date(),
): Promise<Result<{ msisdn: string }, ActivationError | OnHold>> {
  // Someone typing the number of another card is worth knowing about, though nothing changed.
  const recordingWrongCard = recordingRefusals(async (tx, answer) => {
    if (!answer.ok && answer.error === 'activation.wrong_sim')
      await appendAudit(
        tx,
        {
          operatorId: actor.operatorId,
          actorKind: 'subscriber',
          actorId: actor.accountId,
          action: 'sim.activation_refused',
          targetKind: 'replacement_request',
          targetId: requestId,
          ip: actor.ip,
        },
        now,
      );
  });
  return recordingWrongCard(db, async (tx): Promise<Result<{ msisdn: string }, ActivationError | OnHold>> => {
    const request = await lockOwnRequest(tx, actor, requestId);
    if (!request) return err('request.not_found' as const);
    if (request.status !== 'delivered' || !request.simId) return err('activation.not_ready' as const);
    const iccid = parseIccid(typedIccid);
    if (!iccid.ok) return iccid;
    const [sim] = await tx.select({ iccid: sims.iccid }).from(sims).where(eq(sims.id, request.simId));
    if (sim?.iccid !== iccid.value) return err('activation.wrong_sim' as const);
    const hold = holdOf(request, now);
    if (hold) return err(hold);
    return completeActivation(tx, links, request, subscriber(actor), now);
  });
}

/**
 * The eSIM activation code, `LPA:1$<SM-DP+ address>$<matching id>`, released once: after that
 * only support can issue a new profile. The caller re-authenticates the subscriber first.
 */
export async function revealEsimCode(
  db: Db,
  actor: SubscriberActor,
  requestId: string,
  now = new Date(),
): Promise<Result<{ code: string }, ActivationError | OnHold>> {
  return transact(db, async (tx) => {
    const request = await lockOwnRequest(tx, actor, requestId);
    if (!request) return err('request.not_found' as const);
    if (request.status !== 'sim_assigned' || request.delivery !== 'esim' || !request.simId)
      return err('activation.not_ready' as const);
    if (request.activationCodeShownAt) return err('activation.already_shown' as const);
    const hold = holdOf(request, now);
    if (hold) return err(hold);
    // The code installs the profile anywhere: it is held by the SIM-change lock like activation.
    if (await heldByLock(tx, request, now)) return err('request.sim_change_locked' as const);
    const [row] = await tx
      .select({
        iccid: sims.iccid,
        ordered: sims.esimSmdpAddress,
        smdp: sql<string | null>`coalesce(${sims.esimSmdpAddress}, ${operators.smdpAddress})`,
        matchingId: sims.esimMatchingId,
      })
      .from(sims)
      .innerJoin(operators, eq(operators.id, sims.operatorId))
      .where(eq(sims.id, request.simId));
    if (!row?.smdp || !row.matchingId) return err('activation.not_ready' as const);
    // A profile ordered for this request becomes downloadable only now, once its owner has proven who they are.
    if (row.ordered) await releaseEsimProfile(tx, request.operatorId, row.iccid);
    await tx
      .update(replacementRequests)
      .set({ activationCodeShownAt: now })
      .where(eq(replacementRequests.id, request.id));
    await appendAudit(
      tx,
      {
        operatorId: actor.operatorId,
        actorKind: 'subscriber',
        actorId: actor.accountId,
        action: 'esim.code_shown',
        targetKind: 'replacement_request',
        targetId: request.id,
        ip: actor.ip,
      },
      now,
    );
    return ok({ code: `LPA:1$${row.smdp}$${row.matchingId}` });
  });
}

/** After installing the profile the subscriber switches the number over to the eSIM. */
export async function activateEsim(
  db: Db,
  links: Links,
  actor: SubscriberActor,
  requestId: string,
  now = new Date(),
): Promise<Result<{ msisdn: string }, ActivationError>> {
  return transact(db, async (tx) => {
    const request = await lockOwnRequest(tx, actor, requestId);
    if (!request) return err('request.not_found' as const);
    if (request.delivery !== 'esim' || !request.activationCodeShownAt) return err('activation.not_ready' as const);
    return completeActivation(tx, links, request, subscriber(actor), now);
  });
}
