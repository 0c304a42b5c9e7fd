import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { deliveryZones, operators } from '../../db/schema/operators.ts';
import { identityDocuments, replacementRequests, shipments } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { type StaffRole, staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { deliveryWindow } from '../../domain/delivery-zones.ts';
import { parseIccid } from '../../domain/iccid.ts';
import { type ShownDocument, sameDocument } from '../../domain/identity-check.ts';
import type { DocumentType } from '../../domain/replacement.ts';
import type { RequestEvent, TransitionError } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { warnIfLowStock } from '../centers/low-stock.ts';
import type { Links } from '../operators/links.ts';
import { openSecret } from '../secret-box.ts';
import { transact } from '../transact.ts';
import { type ActivationError, completeActivation, holdOf, type OnHold } from './activation.ts';
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
  | 'request.sim_change_locked'
  | 'staff.other_center'
  | 'identity.mismatch'
  | TransitionError;

type Decided<D> = { event: RequestEvent; data?: Record<string, unknown>; detail: D };
type Step<D> = {
  roles: StaffRole[];
  /** The event to apply, worked out (reading only) before anything is written. */
  decide: (request: ReplacementRequest, tx: Tx) => Promise<Result<Decided<D>, StaffError>>;
  extra?: (request: ReplacementRequest, tx: Tx) => Promise<Partial<typeof replacementRequests.$inferInsert>>;
  /** Records that follow from an accepted event: a SIM reserved, a shipment. */
  record?: (request: ReplacementRequest, detail: D, tx: Tx) => Promise<void>;
  notice?: (status: string) => RequestUpdate | null;
  /** A step on a center's stock: store agents may take it only for their own center. */
  atCenter?: boolean;
};

async function hasRole(tx: Tx, staff: StaffActor, roles: StaffRole[]): Promise<boolean> {
  const rows = await tx
    .select({ role: staffRoles.role })
    .from(staffRoles)
    .where(and(eq(staffRoles.operatorId, staff.operatorId), eq(staffRoles.staffId, staff.staffId)));
  return rows.some((r) => r.role === 'admin' || roles.includes(r.role));
}

/** The request locked for a staff member of its operator who holds one of the roles. */
async function requestFor(
  tx: Tx,
  staff: StaffActor,
  requestId: string,
  roles: StaffRole[],
): Promise<Result<ReplacementRequest, StaffError>> {
  if (!(await hasRole(tx, staff, roles))) return err('staff.forbidden');
  const [request] = await tx
    .select()
    .from(replacementRequests)
    .where(and(eq(replacementRequests.operatorId, staff.operatorId), eq(replacementRequests.id, requestId)))
    .for('update');
  if (!request) return err('request.not_found');
  if (request.createdByStaffId === staff.staffId) return err('request.own');
  return ok(request);
}

/** One staff step: the machine decides first, then the request, its records, audit and notice are written together. */
function act<D>(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  action: string,
  step: Step<D>,
  now: Date,
): Promise<Result<ReplacementRequest['status'], StaffError>> {
  return transact(db, async (tx) => {
    const found = await requestFor(tx, staff, requestId, step.roles);
    if (!found.ok) return found;
    const request = found.value;
    if (step.atCenter && !(await worksAt(tx, staff, request.centerId, ['admin', 'logistics'])))
      return err('staff.other_center' as const);
    const decided = await step.decide(request, tx);
    if (!decided.ok) return decided;
    const { event, data: more, detail } = decided.value;
    const extra = (await step.extra?.(request, tx)) ?? {};
    const data = { ...dataOf(event), ...more };
    const applied = await applyRequestEvent(tx, request, event, { kind: 'staff', id: staff.staffId }, now, extra, data);
    if (!applied.ok) return applied;
    await step.record?.(request, detail, tx);
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
const decided = (event: RequestEvent) => async () => ok({ event, detail: null });

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
      decide: decided(event),
      extra: async (request, tx) => {
        if (d.decision === 'reject') return { rejectionReason: d.reason };
        if (d.decision === 'request_info') return { infoRequest: d.note };
        const [operator] = await tx
          .select({ hold: operators.swapHoldMinutes })
          .from(operators)
          .where(eq(operators.id, request.operatorId));
        return { holdUntil: new Date(now.getTime() + (operator?.hold ?? 15) * 60_000) };
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
  return act<string>(
    db,
    links,
    staff,
    requestId,
    'request.assign_sim',
    {
      roles: ['logistics', 'store_agent'],
      atCenter: true,
      decide: async (request, tx) => {
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
        return ok({ event: { type: 'assign_sim', simId: sim.id } as const, detail: sim.id });
      },
      record: async (request, simId, tx) => {
        await tx.update(sims).set({ status: 'reserved' }).where(eq(sims.id, simId));
        if (request.delivery === 'pickup' && request.centerId)
          await warnIfLowStock(tx, request.operatorId, request.centerId, request.simType === 'esim', now);
      },
    },
    now,
  );
}

/** Hands a reserved card to the carrier; the expected window comes from the delivery zone, in the operator's days. */
export function dispatchRequest(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  parcel: { carrier: string; trackingNumber: string },
  now = new Date(),
) {
  return act<{ expectedFrom: string; expectedTo: string }>(
    db,
    links,
    staff,
    requestId,
    'request.dispatch',
    {
      roles: ['logistics'],
      decide: async (request, tx) => {
        const [operator] = await tx
          .select({ timeZone: operators.timeZone })
          .from(operators)
          .where(eq(operators.id, request.operatorId));
        const [zone] = request.deliveryZoneId
          ? await tx
              .select({ minDays: deliveryZones.minDays, maxDays: deliveryZones.maxDays })
              .from(deliveryZones)
              .where(
                and(eq(deliveryZones.operatorId, request.operatorId), eq(deliveryZones.id, request.deliveryZoneId)),
              )
          : [];
        const window = deliveryWindow(now, operator?.timeZone ?? 'UTC', zone ?? { minDays: 7, maxDays: 21 });
        return ok({ event: { type: 'dispatch', ...parcel } as const, data: window, detail: window });
      },
      record: async (request, window, tx) => {
        await tx.insert(shipments).values({
          operatorId: request.operatorId,
          requestId: request.id,
          carrier: parcel.carrier,
          trackingNumber: parcel.trackingNumber,
          status: 'in_transit',
          ...window,
          dispatchedAt: now,
        });
        if (request.simId) await tx.update(sims).set({ status: 'in_transit' }).where(eq(sims.id, request.simId));
      },
      notice: () => 'dispatched',
    },
    now,
  );
}

/** The carrier reports the parcel handed over (its tracking feed, or logistics by hand). */
/** What a courier checked at the door: the document's type and the last digits of its number. */
export type DoorCheck = { docType: DocumentType; lastDigits: string };

/**
 * The card reached the subscriber. Logistics records what the carrier reports; a courier of
 * the operator's own, where its policy asks for it, first checks the passport at the door: the
 * type and at least four last digits must be those on file, or nothing is handed over (audited).
 */
export async function markDelivered(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  now = new Date(),
  door?: { check: DoorCheck | null; documentKey: Buffer },
) {
  const delivered = await act(
    db,
    links,
    staff,
    requestId,
    'request.deliver',
    {
      roles: ['logistics', 'courier'],
      decide: async (request, tx) => {
        if (door) {
          const [operator] = await tx
            .select({ check: operators.courierPassportCheck })
            .from(operators)
            .where(eq(operators.id, request.operatorId));
          if (operator?.check && !(await shownAtDoor(tx, door.documentKey, request.id, door.check)))
            return err('identity.mismatch' as const);
        }
        return ok({ event: { type: 'deliver' } as const, detail: null });
      },
      record: async (request, _none, tx) => {
        await tx
          .update(shipments)
          .set({ status: 'delivered', deliveredAt: now })
          .where(and(eq(shipments.requestId, request.id), eq(shipments.status, 'in_transit')));
      },
      notice: () => 'delivered',
    },
    now,
  );
  if (!delivered.ok && delivered.error === 'identity.mismatch')
    await db.transaction((tx) =>
      appendAudit(
        tx,
        {
          operatorId: staff.operatorId,
          actorKind: 'staff',
          actorId: staff.staffId,
          action: 'delivery.identity_mismatch',
          targetKind: 'replacement_request',
          targetId: requestId,
          ip: staff.ip,
        },
        now,
      ),
    );
  return delivered;
}

/** Whether the document shown at the door is the one on file: same type, number ending in the digits typed. */
async function shownAtDoor(tx: Tx, documentKey: Buffer, requestId: string, check: DoorCheck | null): Promise<boolean> {
  const digits = check?.lastDigits.replace(/\D/g, '') ?? '';
  if (!check || digits.length < 4) return false;
  const [document] = await tx
    .select()
    .from(identityDocuments)
    .where(and(eq(identityDocuments.requestId, requestId), isNull(identityDocuments.purgedAt)));
  if (!document || document.docType !== check.docType) return false;
  const number = openSecret(documentKey, document.numberEncrypted, document.id).replace(/\D/g, '');
  return number.endsWith(digits);
}

/** The courier could not hand the card over (nobody at home, or the subscriber refused it): it goes back to logistics. */
export function deliveryFailed(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  outcome: 'not_home' | 'refused',
  now = new Date(),
) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.delivery_failed',
    {
      roles: ['logistics', 'courier'],
      decide: async () => ok({ event: { type: 'delivery_failed' } as const, data: { outcome }, detail: null }),
      record: async (request, _none, tx) => {
        await tx
          .update(shipments)
          .set({ status: 'returned' })
          .where(and(eq(shipments.requestId, request.id), eq(shipments.status, 'in_transit')));
      },
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
      atCenter: true,
      decide: decided({ type: 'mark_ready' }),
      notice: () => 'ready_for_pickup',
    },
    now,
  );
}

/**
 * At the center: the agent has checked the passport in person and hands over the card reserved
 * for this request; it must be that card, the hold after approval must be over, and it is
 * activated at once.
 */
export type PickupHandOver = { iccid: string } & ShownDocument;

/**
 * A store agent of the request's center hands a pickup SIM over: the document shown in person
 * must be the one on file (a mismatch stops here and is audited), the card must be the one
 * reserved, and the hold after approval must be over; then the SIM is activated at once.
 */
export async function handOverPickup(
  db: Db,
  links: Links,
  documentKey: Buffer,
  staff: StaffActor,
  requestId: string,
  handOver: PickupHandOver,
  now = new Date(),
): Promise<Result<{ msisdn: string }, StaffError | ActivationError | OnHold>> {
  const done = await transact(db, async (tx) => {
    const found = await requestFor(tx, staff, requestId, ['store_agent']);
    if (!found.ok) return found;
    const request = found.value;
    if (!(await worksAt(tx, staff, request.centerId, ['admin']))) return err('staff.other_center' as const);
    if (request.status !== 'ready_for_pickup' || !request.simId) return err('activation.not_ready' as const);
    const [document] = await tx
      .select()
      .from(identityDocuments)
      .where(and(eq(identityDocuments.requestId, request.id), isNull(identityDocuments.purgedAt)));
    const onFile = document && {
      docType: document.docType,
      docNumber: openSecret(documentKey, document.numberEncrypted, document.id),
    };
    if (!onFile || !sameDocument(handOver, onFile)) return err('identity.mismatch' as const);
    const iccid = parseIccid(handOver.iccid);
    if (!iccid.ok) return iccid;
    const [sim] = await tx.select({ iccid: sims.iccid }).from(sims).where(eq(sims.id, request.simId));
    if (sim?.iccid !== iccid.value) return err('activation.wrong_sim' as const);
    const hold = holdOf(request, now);
    if (hold) return err(hold);
    await tx
      .update(identityDocuments)
      .set({ verifiedInPerson: true })
      .where(eq(identityDocuments.id, (document as { id: string }).id));
    const actor = { kind: 'staff' as const, id: staff.staffId, ip: staff.ip };
    return completeActivation(tx, links, request, actor, now, { approvedInPerson: true });
  });
  if (!done.ok && done.error === 'identity.mismatch')
    await db.transaction((tx) =>
      appendAudit(
        tx,
        {
          operatorId: staff.operatorId,
          actorKind: 'staff',
          actorId: staff.staffId,
          action: 'pickup.identity_mismatch',
          targetKind: 'replacement_request',
          targetId: requestId,
          ip: staff.ip,
          data: { docType: handOver.docType },
        },
        now,
      ),
    );
  return done;
}

/** Whether the staff member may act at this center: their own, or any with one of the `unbound` roles. */
async function worksAt(tx: Tx, staff: StaffActor, centerId: string | null, unbound: StaffRole[]): Promise<boolean> {
  const rows = await tx
    .select({ centerId: staffUsers.centerId, role: staffRoles.role })
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, staff.staffId)));
  return rows.some((r) => unbound.includes(r.role) || (centerId !== null && r.centerId === centerId));
}
