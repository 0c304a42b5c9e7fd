import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { deliveryZones, operators } from '../../db/schema/operators.ts';
import { shipments } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { deliveryWindow } from '../../domain/delivery-zones.ts';
import type { RequestEvent } from '../../domain/request-machine.ts';
import { err, ok } from '../../domain/result.ts';
import { warnIfLowStock } from '../centers/low-stock.ts';
import type { Links } from '../operators/links.ts';
import { transact } from '../transact.ts';
import { act, decided, type StaffActor, type Step } from './staff-step.ts';

/**
 * What staff do to an online request between review and hand-over: decide, reserve a SIM,
 * dispatch it or send it to a center (the hand-over itself is in hand-over.ts). Each is one
 * staff step (staff-step.ts): role checked, the state machine deciding, audited.
 */
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

type Parcel = { carrier: string; trackingNumber: string };
type Window = { expectedFrom: string; expectedTo: string };

/**
 * Hands a reserved card to the carrier; the expected window comes from the delivery zone, in the
 * operator's days. With `run` = `rehearse`, only whether it would be accepted, nothing written.
 */
export function dispatchRequest(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  parcel: Parcel,
  now = new Date(),
  run: typeof transact = transact,
) {
  return act<Window>(db, links, staff, requestId, 'request.dispatch', dispatchStep(parcel, now), now, run);
}

function dispatchStep(parcel: Parcel, now: Date): Step<Window> {
  return {
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
            .where(and(eq(deliveryZones.operatorId, request.operatorId), eq(deliveryZones.id, request.deliveryZoneId)))
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
  };
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
 * A returned card is back at the warehouse: on the shelf again, or put aside as defective. The
 * request waits for another card to be reserved.
 */
export function takeBackReturn(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  condition: 'good' | 'defective',
  now = new Date(),
) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.restock',
    {
      roles: ['logistics'],
      decide: async () => ok({ event: { type: 'restock' } as const, data: { condition }, detail: null }),
      record: async (request, _none, tx) => {
        if (!request.simId) return;
        await tx
          .update(sims)
          .set(condition === 'good' ? { status: 'in_stock', centerId: null } : { status: 'defective' })
          .where(eq(sims.id, request.simId));
      },
    },
    now,
  );
}
