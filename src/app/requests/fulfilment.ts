import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { deliveryZones, operators } from '../../db/schema/operators.ts';
import { replacementRequests, shipments } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { type StaffRole, staffRoles } from '../../db/schema/staff.ts';
import { parseIccid } from '../../domain/iccid.ts';
import type { RequestEvent, TransitionError } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { type ActivationError, completeActivation } from './activation.ts';
import type { ReplacementRequest } from './replacement-draft.ts';
import { noticeRequestUpdate, type RequestUpdate } from './request-notices.ts';
import { applyRequestEvent } from './request-transitions.ts';

/**
 * What staff do to an online request between review and hand-over: decide, reserve a SIM,
 * dispatch it or keep it at a center, record delivery. The back office's screens call these;
 * every one checks the staff member's role, goes through the state machine and is audited.
 */
export type StaffActor = { operatorId: string; staffId: string; ip: string };
export type StaffError =
  | 'staff.forbidden'
  | 'request.not_found'
  | 'request.own'
  | 'sim.out_of_stock'
  | 'request.changed'
  | TransitionError;

type Decided = { event: RequestEvent; data?: Record<string, unknown> };
type Step = {
  roles: StaffRole[];
  /** The event to apply, worked out (and its side records written) inside the transaction. */
  event: (request: ReplacementRequest, tx: Tx) => Promise<Result<Decided, StaffError>>;
  extra?: (request: ReplacementRequest, tx: Tx) => Promise<Partial<typeof replacementRequests.$inferInsert>>;
  notice?: (status: string) => RequestUpdate | null;
};

async function hasRole(tx: Tx, staff: StaffActor, roles: StaffRole[]): Promise<boolean> {
  const rows = await tx
    .select({ role: staffRoles.role })
    .from(staffRoles)
    .where(and(eq(staffRoles.operatorId, staff.operatorId), eq(staffRoles.staffId, staff.staffId)));
  return rows.some((r) => r.role === 'admin' || roles.includes(r.role));
}

async function act(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  action: string,
  step: Step,
  now: Date,
): Promise<Result<ReplacementRequest['status'], StaffError>> {
  return db.transaction(async (tx) => {
    if (!(await hasRole(tx, staff, step.roles))) return err('staff.forbidden' as const);
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(and(eq(replacementRequests.operatorId, staff.operatorId), eq(replacementRequests.id, requestId)))
      .for('update');
    if (!request) return err('request.not_found' as const);
    if (request.createdByStaffId === staff.staffId) return err('request.own' as const);
    const decided = await step.event(request, tx);
    if (!decided.ok) return decided;
    const { event, data: more } = decided.value;
    const extra = (await step.extra?.(request, tx)) ?? {};
    const data = { ...dataOf(event), ...more };
    const applied = await applyRequestEvent(tx, request, event, { kind: 'staff', id: staff.staffId }, now, extra, data);
    if (!applied.ok) return applied;
    const status = applied.value.state.status;
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action,
        targetKind: 'replacement_request',
        targetId: request.id,
        ip: staff.ip,
        data: { reference: request.reference, to: status, ...data },
      },
      now,
    );
    const notice = step.notice?.(status);
    if (notice) await noticeRequestUpdate(tx, links, request, notice, noticeValues(data));
    return ok(status);
  });
}

const dataOf = (event: RequestEvent): Record<string, unknown> => {
  const { type: _type, ...rest } = event;
  return rest;
};
const noticeValues = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));

export type Decision =
  | { decision: 'approve'; inPerson?: boolean }
  | { decision: 'reject'; reason: string }
  | { decision: 'request_info'; note: string };

/** Review outcomes the subscriber hears about; a first approval of two is not one of them. */
const REVIEW_NOTICES = ['approved', 'rejected', 'needs_info'] as const;

/** A reviewer's decision; the second approval of a high-risk request must come from someone else. */
export function reviewRequest(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  d: Decision,
  now = new Date(),
) {
  const event: RequestEvent =
    d.decision === 'approve'
      ? { type: 'approve', by: staff.staffId, inPerson: d.inPerson ?? false }
      : d.decision === 'reject'
        ? { type: 'reject', reason: d.reason }
        : { type: 'request_info', note: d.note };
  return act(
    db,
    links,
    staff,
    requestId,
    `request.${d.decision}`,
    {
      roles: ['reviewer'],
      event: async () => ok({ event }),
      extra: async (request, tx) => {
        if (d.decision === 'reject') return { rejectionReason: d.reason };
        if (d.decision === 'request_info') return { infoRequest: d.note };
        const [operator] = await tx
          .select({ hold: operators.swapHoldMinutes })
          .from(operators)
          .where(eq(operators.id, request.operatorId));
        const first = request.firstApproverId === null;
        return {
          ...(first ? { firstApproverId: staff.staffId } : { secondApproverId: staff.staffId }),
          holdUntil: new Date(now.getTime() + (operator?.hold ?? 15) * 60_000),
        };
      },
      notice: (status) => REVIEW_NOTICES.find((n) => n === status) ?? null,
    },
    now,
  );
}

/**
 * Reserves a SIM for an approved request: an eSIM profile, a card from the chosen center's stock
 * for pickup, or from the central warehouse for courier delivery. SKIP LOCKED lets several
 * people assign at once without taking the same card.
 */
export function assignSim(db: Db, links: Links, staff: StaffActor, requestId: string, now = new Date()) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.assign_sim',
    {
      roles: ['logistics', 'store_agent'],
      event: async (request, tx) => {
        const esim = request.simType === 'esim';
        const centerId = request.delivery === 'pickup' ? request.centerId : null;
        const [sim] = await tx
          .select({ id: sims.id })
          .from(sims)
          .where(
            and(
              eq(sims.operatorId, request.operatorId),
              eq(sims.status, 'in_stock'),
              esim ? eq(sims.formFactor, 'esim') : eq(sims.formFactor, 'triple'),
              centerId ? eq(sims.centerId, centerId) : isNull(sims.centerId),
            ),
          )
          .orderBy(asc(sims.iccid))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!sim) return err('sim.out_of_stock' as const);
        await tx.update(sims).set({ status: 'reserved' }).where(eq(sims.id, sim.id));
        return ok({ event: { type: 'assign_sim', simId: sim.id } as const });
      },
    },
    now,
  );
}

/** Hands a reserved card to the carrier; the expected window comes from the delivery zone. */
export function dispatchRequest(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  parcel: { carrier: string; trackingNumber: string },
  now = new Date(),
) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.dispatch',
    {
      roles: ['logistics'],
      event: async (request, tx) => {
        const [zone] = request.deliveryZoneId
          ? await tx.select().from(deliveryZones).where(eq(deliveryZones.id, request.deliveryZoneId))
          : [];
        const day = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
        const window = { expectedFrom: day(zone?.minDays ?? 7), expectedTo: day(zone?.maxDays ?? 21) };
        await tx.insert(shipments).values({
          operatorId: request.operatorId,
          requestId: request.id,
          carrier: parcel.carrier,
          trackingNumber: parcel.trackingNumber,
          status: 'in_transit',
          expectedFrom: window.expectedFrom,
          expectedTo: window.expectedTo,
          dispatchedAt: now,
        });
        if (request.simId) await tx.update(sims).set({ status: 'in_transit' }).where(eq(sims.id, request.simId));
        return ok({ event: { type: 'dispatch', ...parcel } as const, data: window });
      },
      notice: () => 'dispatched',
    },
    now,
  );
}

/** The carrier reports the parcel handed over (its tracking feed, or logistics by hand). */
export function markDelivered(db: Db, links: Links, staff: StaffActor, requestId: string, now = new Date()) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.deliver',
    {
      roles: ['logistics'],
      event: async (request, tx) => {
        await tx
          .update(shipments)
          .set({ status: 'delivered', deliveredAt: now })
          .where(and(eq(shipments.requestId, request.id), eq(shipments.status, 'in_transit')));
        return ok({ event: { type: 'deliver' } as const });
      },
      notice: () => 'delivered',
    },
    now,
  );
}

/** The reserved card waits at the chosen center. */
export function markReadyForPickup(db: Db, links: Links, staff: StaffActor, requestId: string, now = new Date()) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.mark_ready',
    {
      roles: ['logistics', 'store_agent'],
      event: async () => ok({ event: { type: 'mark_ready' } as const }),
      notice: () => 'ready_for_pickup',
    },
    now,
  );
}

/**
 * At the center: the agent has checked the passport in person and hands over the card reserved
 * for this request; it must be that card, and it is activated at once.
 */
export function handOverPickup(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  typedIccid: string,
  now = new Date(),
): Promise<Result<{ msisdn: string }, StaffError | ActivationError>> {
  return db.transaction(async (tx) => {
    if (!(await hasRole(tx, staff, ['store_agent']))) return err('staff.forbidden' as const);
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(and(eq(replacementRequests.operatorId, staff.operatorId), eq(replacementRequests.id, requestId)))
      .for('update');
    if (!request) return err('request.not_found' as const);
    if (request.status !== 'ready_for_pickup' || !request.simId) return err('activation.not_ready' as const);
    const iccid = parseIccid(typedIccid);
    if (!iccid.ok) return iccid;
    const [sim] = await tx.select({ iccid: sims.iccid }).from(sims).where(eq(sims.id, request.simId));
    if (sim?.iccid !== iccid.value) return err('activation.wrong_sim' as const);
    await tx.update(replacementRequests).set({ approvedInPerson: true }).where(eq(replacementRequests.id, request.id));
    return completeActivation(tx, links, request, { kind: 'staff', id: staff.staffId, ip: staff.ip }, now);
  });
}
