import type { ParcelEvent } from './replacement.ts';

export type ShipmentStatus = 'created' | ParcelEvent;

/** How far along each status is; a notice never moves a parcel back (carriers send them out of order). */
const PROGRESS: Record<ShipmentStatus, number> = {
  created: 0,
  in_transit: 1,
  out_for_delivery: 2,
  failed_attempt: 2,
  delivered: 3,
  returned: 3,
};

export type ParcelStep = {
  /** The shipment's new status, or null to leave it. */
  shipment: ShipmentStatus | null;
  /** What the request takes from it: the card reached the subscriber, or came back. */
  request: 'deliver' | 'delivery_failed' | null;
};

/** What a carrier's tracking event means for the shipment and its request. */
export function parcelStep(current: ShipmentStatus, event: ParcelEvent): ParcelStep {
  const settled = current === 'delivered' || current === 'returned';
  if (settled || PROGRESS[event] < PROGRESS[current]) return { shipment: null, request: null };
  const request = event === 'delivered' ? 'deliver' : event === 'returned' ? 'delivery_failed' : null;
  return { shipment: event, request };
}

/** A parcel still on its way: neither delivered nor returned. */
export const PARCEL_ON_ITS_WAY: readonly ShipmentStatus[] = [
  'created',
  'in_transit',
  'out_for_delivery',
  'failed_attempt',
];
