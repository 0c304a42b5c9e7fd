import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { replacementRequests, shipments } from '../../db/schema/requests.ts';
import type { DeliveryAddress } from '../../domain/replacement.ts';
import { err } from '../../domain/result.ts';
import { type Carrier, CarrierUnavailable } from '../../integrations/carrier/carrier.ts';
import type { Links } from '../operators/links.ts';
import { rehearse } from '../transact.ts';
import { dispatchRequest } from './fulfilment.ts';
import type { StaffActor } from './staff-step.ts';

const addressLine = (a: DeliveryAddress) =>
  [`${a.street} ${a.building}${a.flat ? `, ${a.flat}` : ''}`, a.city, a.postcode].filter(Boolean).join(', ');

/**
 * Books the parcel with the carrier, then dispatches the request with the tracking number it
 * gave. Every check of the dispatch (role, SIM-change lock, the request's state) is made first,
 * so nothing is booked for a dispatch that would be refused. The booking's key is the request
 * and how many parcels it had, so a retry after a timeout or a crash gets the same parcel back,
 * and a second dispatch after a return a new one.
 */
export async function dispatchWithCarrier(
  db: Db,
  links: Links,
  carrier: Carrier,
  staff: StaffActor,
  requestId: string,
  now = new Date(),
) {
  const r = replacementRequests;
  const [request] = await db
    .select({
      reference: r.reference,
      status: r.status,
      name: r.contactName,
      phone: r.contactPhone,
      address: r.deliveryAddress,
      parcels: db.$count(shipments, eq(shipments.requestId, r.id)),
      doorCheck: operators.courierPassportCheck,
    })
    .from(r)
    .innerJoin(operators, eq(operators.id, r.operatorId))
    .where(and(eq(r.operatorId, staff.operatorId), eq(r.id, requestId)));
  if (!request) return err('request.not_found' as const);
  if (!request.address || !request.phone) return err('transition.wrong_delivery' as const);
  const parcel = { carrier: carrier.name, trackingNumber: '' };
  const rehearsed = await dispatchRequest(db, links, staff, requestId, parcel, now, rehearse);
  if (!rehearsed.ok) return rehearsed;
  try {
    const { trackingNumber } = await carrier.bookParcel({
      idempotencyKey: `${requestId}:${request.parcels + 1}`,
      reference: request.reference,
      recipient: { name: request.name ?? '', phone: request.phone, address: addressLine(request.address) },
      handOverInPerson: request.doorCheck,
    });
    return dispatchRequest(db, links, staff, requestId, { carrier: carrier.name, trackingNumber }, now);
  } catch (error) {
    if (error instanceof CarrierUnavailable) return err('carrier.unavailable' as const);
    throw error;
  }
}
