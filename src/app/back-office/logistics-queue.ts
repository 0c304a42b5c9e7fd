import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { replacementRequests, shipments } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { PARCEL_ON_ITS_WAY, type ShipmentStatus } from '../../domain/parcel-tracking.ts';
import type { Delivery } from '../../domain/replacement.ts';

/** The statuses in which logistics has something to do: reserve, dispatch or send to a center, record delivery, take a return back. */
export const LOGISTICS_STATUSES = ['approved', 'sim_assigned', 'dispatched', 'returned'] as const;

export type LogisticsRow = {
  id: string;
  reference: string;
  status: (typeof LOGISTICS_STATUSES)[number];
  delivery: Delivery | null;
  msisdn: string;
  iccid: string | null;
  center: Record<string, string> | null;
  carrier: string | null;
  trackingNumber: string | null;
  /** Where the parcel on its way is, as its carrier last said. */
  parcel: ShipmentStatus | null;
  expectedTo: string | null;
  /** Dispatched and the last day of its delivery window has passed. */
  overdue: boolean;
  holdUntil: Date | null;
};

/** Approved requests on their way to the subscriber, those waiting longest first. */
export async function logisticsQueue(db: Db, operatorId: string, today: string): Promise<LogisticsRow[]> {
  const r = replacementRequests;
  const center = alias(serviceCenters, 'center');
  const rows = await db
    .select({
      id: r.id,
      reference: r.reference,
      status: r.status,
      delivery: r.delivery,
      msisdn: lines.msisdn,
      iccid: sims.iccid,
      center: center.name,
      carrier: shipments.carrier,
      trackingNumber: shipments.trackingNumber,
      parcel: shipments.status,
      expectedTo: shipments.expectedTo,
      holdUntil: r.holdUntil,
    })
    .from(r)
    .innerJoin(lines, eq(lines.id, r.lineId))
    .leftJoin(sims, eq(sims.id, r.simId))
    .leftJoin(center, eq(center.id, r.centerId))
    .leftJoin(shipments, and(eq(shipments.requestId, r.id), inArray(shipments.status, [...PARCEL_ON_ITS_WAY])))
    .where(and(eq(r.operatorId, operatorId), inArray(r.status, [...LOGISTICS_STATUSES])))
    .orderBy(asc(r.updatedAt), asc(r.id))
    .limit(300);
  return rows.map((row) => ({
    ...row,
    status: row.status as LogisticsRow['status'],
    overdue: row.status === 'dispatched' && row.expectedTo !== null && row.expectedTo < today,
  }));
}

/** The reference of one of the operator's requests, for the message after a logistics step. */
export async function requestReference(db: Db, operatorId: string, requestId: string): Promise<string | null> {
  const [row] = await db
    .select({ reference: replacementRequests.reference })
    .from(replacementRequests)
    .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.id, requestId)));
  return row?.reference ?? null;
}
