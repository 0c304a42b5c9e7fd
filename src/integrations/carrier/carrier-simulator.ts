import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sandboxParcels } from '../../db/schema/sandbox.ts';
import { PARCEL_EVENTS, type ParcelEvent } from '../../domain/replacement.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { WebhookProblem } from '../payments/payment-gateway.ts';
import { NotificationSender, verifySignature, type WebhookTransport } from '../signed-notifications.ts';
import { crossNetwork, type SimulatedNetwork } from '../simulated-network.ts';
import { type Carrier, type CarrierNotice, CarrierUnavailable, type NewParcel } from './carrier.ts';

export type CarrierSimulatorOptions = SimulatedNetwork & {
  db: Db;
  webhookSecret: string;
  /** How long a parcel takes for each leg of its journey; null: it moves only when told (tests). */
  stepMs?: number | null;
  /** Share of delivery rounds that find nobody at home (0–1). */
  failedAttemptRate?: number;
  /** Rounds made before a parcel nobody took goes back to the sender. */
  maxAttempts?: number;
  webhookRetryMs?: number[];
};

type Parcel = typeof sandboxParcels.$inferSelect;

/**
 * A courier company running inside simdesk for development, demos and tests, behaving like a
 * real one: booking a parcel costs latency and sometimes fails, the same idempotency key books
 * the same parcel, and the parcel then travels (in transit, out for delivery, a missed round
 * now and then, delivered or, after the last round, returned), each step announced by a signed
 * notification retried until simdesk accepts it.
 */
export class CarrierSimulator implements Carrier {
  readonly name = 'simpost';
  private readonly notifications: NotificationSender;

  constructor(private readonly options: CarrierSimulatorOptions) {
    this.notifications = new NotificationSender(options.webhookSecret, options.webhookRetryMs);
  }

  connect(transport: WebhookTransport): void {
    this.notifications.connect(transport);
  }

  async bookParcel(parcel: NewParcel, now = new Date()): Promise<{ trackingNumber: string }> {
    await crossNetwork(this.options, () => new CarrierUnavailable('carrier simulator unavailable (simulated outage)'));
    const { db, stepMs = null } = this.options;
    await db
      .insert(sandboxParcels)
      .values({
        trackingNumber: `SP${randomBytes(5).toString('hex').toUpperCase()}RU`,
        idempotencyKey: parcel.idempotencyKey,
        reference: parcel.reference,
        recipient: parcel.recipient,
        handOverInPerson: parcel.handOverInPerson,
        nextAt: stepMs === null ? null : new Date(now.getTime() + stepMs),
      })
      .onConflictDoNothing({ target: sandboxParcels.idempotencyKey });
    const [row] = await db
      .select({ trackingNumber: sandboxParcels.trackingNumber })
      .from(sandboxParcels)
      .where(eq(sandboxParcels.idempotencyKey, parcel.idempotencyKey));
    return { trackingNumber: (row as { trackingNumber: string }).trackingNumber };
  }

  readNotification(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
    now = new Date(),
  ): Result<CarrierNotice, WebhookProblem> {
    const genuine = verifySignature(this.options.webhookSecret, rawBody, headers['x-carrier-signature'], now);
    if (!genuine.ok) return genuine;
    try {
      const body = JSON.parse(rawBody) as Record<string, unknown>;
      const occurredAt = new Date(String(body.occurredAt));
      const event = PARCEL_EVENTS.find((e) => e === body.event);
      if (typeof body.eventId !== 'string' || typeof body.trackingNumber !== 'string' || !event)
        return err('webhook.malformed');
      if (Number.isNaN(occurredAt.getTime())) return err('webhook.malformed');
      return ok({ eventId: body.eventId, trackingNumber: body.trackingNumber, event, occurredAt });
    } catch {
      return err('webhook.malformed');
    }
  }

  /** Moves a parcel on: to the given event (tests and the demo), or to the next leg of its journey. */
  async advance(trackingNumber: string, to?: ParcelEvent, now = new Date()): Promise<ParcelEvent | null> {
    const [parcel] = await this.options.db
      .select()
      .from(sandboxParcels)
      .where(eq(sandboxParcels.trackingNumber, trackingNumber));
    if (!parcel) return null;
    const event = to ?? this.nextLeg(parcel);
    if (!event) return null;
    const attempts = parcel.attempts + (event === 'delivered' || event === 'failed_attempt' ? 1 : 0);
    const ends = event === 'delivered' || event === 'returned';
    const { stepMs = null } = this.options;
    await this.options.db
      .update(sandboxParcels)
      .set({
        status: event,
        attempts,
        nextAt: ends || stepMs === null ? null : new Date(now.getTime() + stepMs),
      })
      .where(eq(sandboxParcels.trackingNumber, trackingNumber));
    this.notifications.send(
      JSON.stringify({ eventId: randomUUID(), trackingNumber, event, occurredAt: now.toISOString() }),
    );
    return event;
  }

  /** Moves on every parcel whose next leg is due; `simdesk serve` calls it on a timer. */
  async tick(now = new Date()): Promise<number> {
    const due = await this.options.db
      .select({ trackingNumber: sandboxParcels.trackingNumber })
      .from(sandboxParcels)
      .where(and(isNotNull(sandboxParcels.nextAt), lte(sandboxParcels.nextAt, now)))
      .orderBy(asc(sandboxParcels.nextAt))
      .limit(100);
    for (const parcel of due) await this.advance(parcel.trackingNumber, undefined, now);
    return due.length;
  }

  /** Waits for every notification under way, for tests and a clean shutdown. */
  flushNotifications(): Promise<void> {
    return this.notifications.flush();
  }

  private nextLeg(parcel: Parcel): ParcelEvent | null {
    const { failedAttemptRate = 0, maxAttempts = 2, random = Math.random } = this.options;
    switch (parcel.status) {
      case 'booked':
        return 'in_transit';
      case 'in_transit':
        return 'out_for_delivery';
      case 'out_for_delivery':
        // The person at the door checks the passport: only simdesk's hand-over delivers it.
        if (parcel.handOverInPerson) return null;
        return random() < failedAttemptRate ? 'failed_attempt' : 'delivered';
      case 'failed_attempt':
        return parcel.attempts >= maxAttempts ? 'returned' : 'out_for_delivery';
      default:
        return null;
    }
  }
}

/** The carrier as configured: the simulator (parcels take a few minutes per leg in a demo), or none. */
export function configuredCarrier(
  settings: { carrier: { kind: 'simulator'; webhookSecret: string } | { kind: 'manual' }; env: string },
  db: Db,
): CarrierSimulator | null {
  if (settings.carrier.kind !== 'simulator') return null;
  const live = settings.env !== 'test';
  return new CarrierSimulator({
    db,
    webhookSecret: settings.carrier.webhookSecret,
    latencyMs: live ? [100, 600] : [0, 0],
    stepMs: live ? 3 * 60_000 : null,
    failedAttemptRate: live ? 0.15 : 0,
  });
}
