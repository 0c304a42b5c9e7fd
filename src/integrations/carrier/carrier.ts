import type { ParcelEvent } from '../../domain/replacement.ts';
import type { Result } from '../../domain/result.ts';
import type { WebhookProblem } from '../payments/payment-gateway.ts';

/** One tracking update; the event id is the carrier's own, so a notification sent twice is recognised. */
export type CarrierNotice = { eventId: string; trackingNumber: string; event: ParcelEvent; occurredAt: Date };

export type NewParcel = {
  /** The same key always gets the same parcel back, so a retried booking never books twice. */
  idempotencyKey: string;
  /** The request's reference, printed on the label. */
  reference: string;
  recipient: { name: string; phone: string; address: string };
  /**
   * The card may only be handed over by someone who checks the passport at the door (the
   * operator's courier policy): the carrier brings it out for delivery and does not deliver it.
   */
  handOverInPerson: boolean;
};

/** The carrier could not be reached or answered with an error; the caller may try again. */
export class CarrierUnavailable extends Error {
  readonly retryable = true;
}

/**
 * What simdesk needs from a courier company: book a parcel (getting its tracking number) and
 * read the tracking notifications it sends back, proven genuine before anything in them is used.
 */
export interface Carrier {
  readonly name: string;
  bookParcel(parcel: NewParcel): Promise<{ trackingNumber: string }>;
  readNotification(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
    now?: Date,
  ): Result<CarrierNotice, WebhookProblem>;
}
