/** Vocabulary of a SIM replacement request, shared by the state machine, fees and the database. */

export const REASONS = ['lost', 'stolen', 'damaged', 'not_working', 'switch_to_esim', 'new_size'] as const;
export type Reason = (typeof REASONS)[number];

export const SIM_TYPES = ['physical', 'esim'] as const;
export type SimType = (typeof SIM_TYPES)[number];

export const CHANNELS = ['online', 'counter'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How the subscriber receives the new SIM. "counter" is a walk-in served at once. */
export const DELIVERIES = ['courier', 'pickup', 'esim', 'counter'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export const FORM_FACTORS = ['triple', 'nano', 'micro', 'mini', 'esim'] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

export const SIM_STATUSES = [
  'in_stock',
  'reserved',
  'in_transit',
  'active',
  'deactivated',
  'lost',
  'defective',
] as const;
export type SimStatus = (typeof SIM_STATUSES)[number];

/** What a carrier reports about a parcel after it took it. */
export const PARCEL_EVENTS = ['in_transit', 'out_for_delivery', 'failed_attempt', 'delivered', 'returned'] as const;
export type ParcelEvent = (typeof PARCEL_EVENTS)[number];

export const DOCUMENT_TYPES = ['passport_ru', 'passport_foreign', 'residence_permit', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type DeliveryAddress = {
  city: string;
  street: string;
  building: string;
  flat?: string;
  postcode?: string;
  comment?: string;
};
