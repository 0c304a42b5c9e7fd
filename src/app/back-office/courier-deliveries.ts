import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { replacementRequests, shipments } from '../../db/schema/requests.ts';
import { PARCEL_ON_ITS_WAY } from '../../domain/parcel-tracking.ts';
import type { DeliveryAddress } from '../../domain/replacement.ts';

export type CourierDelivery = {
  id: string;
  reference: string;
  contactName: string | null;
  contactPhone: string | null;
  address: DeliveryAddress | null;
  trackingNumber: string;
  expectedFrom: string;
  expectedTo: string;
};

/** Parcels on their way to subscribers, those expected first at the top; `requestId` narrows to one. */
export async function courierDeliveries(db: Db, operatorId: string, requestId?: string): Promise<CourierDelivery[]> {
  const r = replacementRequests;
  return db
    .select({
      id: r.id,
      reference: r.reference,
      contactName: r.contactName,
      contactPhone: r.contactPhone,
      address: r.deliveryAddress,
      trackingNumber: shipments.trackingNumber,
      expectedFrom: shipments.expectedFrom,
      expectedTo: shipments.expectedTo,
    })
    .from(r)
    .innerJoin(shipments, and(eq(shipments.requestId, r.id), inArray(shipments.status, [...PARCEL_ON_ITS_WAY])))
    .where(
      and(
        eq(r.operatorId, operatorId),
        eq(r.status, 'dispatched'),
        eq(r.delivery, 'courier'),
        ...(requestId ? [eq(r.id, requestId)] : []),
      ),
    )
    .orderBy(asc(shipments.expectedFrom), asc(r.reference))
    .limit(200);
}
