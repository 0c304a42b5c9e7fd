import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type ActorKind, replacementRequests, requestEvents } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import {
  type Applied,
  applyEvent,
  type RequestEvent,
  type RequestState,
  type TransitionError,
} from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { isSimChangeLocked } from '../../domain/sim-change-lock.ts';
import { enqueue } from '../outbox/outbox.ts';
import { refundRequestPayment } from '../payments/refunds.ts';
import { emitWebhook } from '../webhooks/webhook-events.ts';
import { cancelEsimOrder } from './esim-profile-calls.ts';
import type { ReplacementRequest } from './replacement-draft.ts';

export type EventActor = { kind: ActorKind; id: string | null };

/**
 * The steps that bring a new SIM closer to working. While the account's SIM-change lock is on
 * (or still releasing), a request already submitted is held before each of them: it waits, and
 * goes on when the lock has ended. Cancelling, rejecting and freezing stay possible.
 */
const HELD_BY_LOCK: readonly RequestEvent['type'][] = [
  'approve',
  'assign_sim',
  'dispatch',
  'mark_ready',
  'deliver',
  'activate',
];

/**
 * Whether the account's SIM-change lock holds the request; the row is shared-locked so turning the
 * lock on waits for this step. The lock guards against changes from afar: a request made at the
 * counter, with the passport checked in person, is the way past it.
 */
export async function heldByLock(tx: Tx, request: ReplacementRequest, now: Date): Promise<boolean> {
  if (request.channel === 'counter') return false;
  const [account] = await tx
    .select({ on: accounts.simChangeLock, releaseAt: accounts.lockReleaseAt })
    .from(accounts)
    .where(eq(accounts.id, request.accountId))
    .for('share');
  return account !== undefined && isSimChangeLocked(account, now);
}

export function stateOf(r: ReplacementRequest): RequestState {
  return {
    status: r.status,
    context: {
      delivery: r.delivery ?? 'courier',
      feeMinor: r.feeMinor,
      paid: r.paidAt !== null,
      fourEyes: r.fourEyes,
      approvers: [r.firstApproverId, r.secondApproverId].filter((a): a is string => a !== null),
      approvedInPerson: r.approvedInPerson,
      simId: r.simId,
    },
  };
}

/**
 * The one way a request's status changes: the state machine decides, the row is updated only if
 * nobody changed it since it was read (optimistic lock), and the event joins the timeline in the
 * same transaction. The machine's whole context is stored with the status (fee, four eyes, the
 * current approvers, the SIM), so the database and the machine can never disagree; `extra` carries
 * the columns the event itself sets (the reason, the rejection…).
 */
export async function applyRequestEvent(
  tx: Tx,
  request: ReplacementRequest,
  event: RequestEvent,
  actor: EventActor,
  now: Date,
  extra: Partial<typeof replacementRequests.$inferInsert> = {},
  data: Record<string, unknown> = {},
): Promise<Result<Applied, TransitionError | 'request.changed' | 'request.sim_change_locked'>> {
  const applied = applyEvent(stateOf(request), event);
  if (!applied.ok) return applied;
  if (HELD_BY_LOCK.includes(event.type) && (await heldByLock(tx, request, now)))
    return err('request.sim_change_locked');
  const { status, context } = applied.value.state;
  const updated = await tx
    .update(replacementRequests)
    .set({
      status,
      feeMinor: context.feeMinor,
      fourEyes: context.fourEyes,
      paidAt: context.paid ? (request.paidAt ?? now) : null,
      firstApproverId: context.approvers[0] ?? null,
      secondApproverId: context.approvers[1] ?? null,
      approvedInPerson: context.approvedInPerson,
      simId: context.simId,
      ...extra,
      updatedAt: now,
      version: request.version + 1,
    })
    .where(and(eq(replacementRequests.id, request.id), eq(replacementRequests.version, request.version)))
    .returning({ id: replacementRequests.id });
  if (updated.length === 0) return err('request.changed');
  await tx.insert(requestEvents).values({
    operatorId: request.operatorId,
    requestId: request.id,
    type: event.type,
    fromStatus: request.status,
    toStatus: status,
    actorKind: actor.kind,
    actorId: actor.id,
    data,
    createdAt: now,
  });
  if (status !== request.status)
    await emitWebhook(
      tx,
      request.operatorId,
      'request.status_changed',
      { requestId: request.id, reference: request.reference, from: request.status, to: status, event: event.type },
      now,
    );
  if (applied.value.effects.includes('refund')) await refundRequestPayment(tx, request.id, now);
  if (applied.value.effects.includes('release_sim') && request.simId) await releaseSim(tx, request, now);
  if (applied.value.effects.includes('order_esim'))
    await enqueue(tx, {
      operatorId: request.operatorId,
      topic: 'esim.order',
      payload: { requestId: request.id },
      idempotencyKey: `esim-order:${request.id}`,
    });
  return ok(applied.value);
}

/**
 * A request lets go of its SIM. A card that never left stock, or came back to the warehouse,
 * is stock again; one on its way or in someone's hands can never be activated (lost until
 * logistics has it back); an eSIM profile whose activation code was shown is retired, since
 * whoever saw the code can still install it.
 */
async function releaseSim(tx: Tx, request: ReplacementRequest, now: Date): Promise<void> {
  const [sim] = await tx
    .select({
      id: sims.id,
      iccid: sims.iccid,
      status: sims.status,
      formFactor: sims.formFactor,
      smdp: sims.esimSmdpAddress,
    })
    .from(sims)
    .where(eq(sims.id, request.simId as string))
    .for('update');
  if (!sim) return;
  const revealed = sim.formFactor === 'esim' && request.activationCodeShownAt !== null;
  const backInStock = sim.status === 'reserved' || (sim.status === 'in_transit' && request.status === 'returned');
  // A profile from the SM-DP+ never goes back to stock: it goes back to the SM-DP+ (retired once its code was seen).
  const next =
    revealed || sim.smdp
      ? { status: 'deactivated' as const, deactivatedAt: now }
      : backInStock
        ? { status: 'in_stock' as const }
        : sim.status === 'in_transit'
          ? { status: 'lost' as const }
          : null;
  if (next)
    await tx
      .update(sims)
      .set({ ...next, lineId: null })
      .where(eq(sims.id, sim.id));
  if (sim.smdp) await cancelEsimOrder(tx, request.operatorId, sim.iccid, revealed);
}
