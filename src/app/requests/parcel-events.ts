import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { carrierEvents, replacementRequests, shipments } from '../../db/schema/requests.ts';
import { parcelStep, type ShipmentStatus } from '../../domain/parcel-tracking.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { CarrierNotice } from '../../integrations/carrier/carrier.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { transact } from '../transact.ts';
import { noticeRequestUpdate, type RequestUpdate } from './request-notices.ts';
import { applyRequestEvent } from './request-transitions.ts';

export type ParcelEventOutcome = 'recorded' | 'duplicate';

/** What the subscriber is told of each step of their parcel; every missed round is told. */
const PARCEL_NOTICES: Partial<Record<ShipmentStatus, RequestUpdate>> = {
  out_for_delivery: 'out_for_delivery',
  failed_attempt: 'delivery_missed',
  delivered: 'delivered',
  returned: 'returned',
};

/**
 * A carrier's tracking notice, already proven genuine by its adapter. Each event id is taken
 * once (a notice sent twice changes nothing the second time); the parcel only moves forward;
 * delivered or returned moves the request on too, with the subscriber told as for any step.
 */
export function recordParcelEvent(
  db: Db,
  links: Links,
  carrier: string,
  notice: CarrierNotice,
  now = new Date(),
): Promise<Result<ParcelEventOutcome, 'shipment.unknown' | 'request.changed'>> {
  return transact(db, async (tx) => {
    const [shipment] = await tx
      .select()
      .from(shipments)
      .where(and(eq(shipments.carrier, carrier), eq(shipments.trackingNumber, notice.trackingNumber)))
      .for('update');
    if (!shipment) return err('shipment.unknown' as const);
    const taken = await tx
      .insert(carrierEvents)
      .values({
        operatorId: shipment.operatorId,
        shipmentId: shipment.id,
        carrier,
        eventId: notice.eventId,
        event: notice.event,
        occurredAt: notice.occurredAt,
        receivedAt: now,
      })
      .onConflictDoNothing({ target: [carrierEvents.carrier, carrierEvents.eventId] })
      .returning({ id: carrierEvents.id });
    if (taken.length === 0) return ok('duplicate' as const);
    const moved = parcelStep(shipment.status, notice.event);
    // Where the operator has the courier check the passport at the door, only the courier's
    // hand-over (with the check) delivers: a carrier saying "delivered" moves nothing.
    const [policy] = await tx
      .select({ doorCheck: operators.courierPassportCheck })
      .from(operators)
      .where(eq(operators.id, shipment.operatorId));
    const heldForDoorCheck = moved.request === 'deliver' && (policy?.doorCheck ?? true);
    const step = heldForDoorCheck ? { shipment: null, request: null } : moved;
    if (step.shipment)
      await tx
        .update(shipments)
        .set({ status: step.shipment, ...(step.shipment === 'delivered' && { deliveredAt: notice.occurredAt }) })
        .where(eq(shipments.id, shipment.id));
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(eq(replacementRequests.id, shipment.requestId))
      .for('update');
    if (step.request && request?.status === 'dispatched') {
      const applied = await applyRequestEvent(
        tx,
        request,
        { type: step.request },
        { kind: 'system', id: null },
        now,
        {},
        {
          carrier,
          trackingNumber: notice.trackingNumber,
        },
      );
      if (!applied.ok) return err('request.changed' as const);
    }
    const update = request?.status === 'dispatched' && step.shipment ? PARCEL_NOTICES[step.shipment] : undefined;
    if (request && update) await noticeRequestUpdate(tx, links, request, update, {}, notice.eventId);
    await appendAudit(
      tx,
      {
        operatorId: shipment.operatorId,
        actorKind: 'system',
        actorId: null,
        action: `parcel.${notice.event}`,
        targetKind: 'replacement_request',
        targetId: shipment.requestId,
        data: {
          reference: request?.reference,
          carrier,
          trackingNumber: notice.trackingNumber,
          eventId: notice.eventId,
          ...(heldForDoorCheck && { heldForDoorCheck }),
        },
      },
      now,
    );
    return ok('recorded' as const);
  });
}
