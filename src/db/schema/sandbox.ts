import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { PARCEL_EVENTS } from '../../domain/replacement.ts';
import { at, createdAt, oneOf } from './columns.ts';

export const SANDBOX_METHODS = ['card', 'ewallet'] as const;
export const SANDBOX_STATUSES = ['pending', 'requires_action', 'succeeded', 'failed'] as const;

/**
 * The sandbox payment gateway's own records. They stand for a real gateway's database, so
 * nothing of simdesk references them: the application knows a payment only by its reference.
 */
export const sandboxPayments = pgTable(
  'sandbox_payments',
  {
    ref: text('ref').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    method: text('method', { enum: SANDBOX_METHODS }).notNull(),
    description: text('description').notNull(),
    returnUrl: text('return_url').notNull(),
    status: text('status', { enum: SANDBOX_STATUSES }).notNull().default('pending'),
    failureReason: text('failure_reason'),
    /** Card number's last four digits, as a receipt shows them. */
    cardLast4: text('card_last4'),
    refundedMinor: integer('refunded_minor').notNull().default(0),
    refundKeys: text('refund_keys').array().notNull().default(sql`'{}'::text[]`),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    completedAt: at('completed_at'),
    /** When simdesk accepted the notification of the outcome; null while it is still owed (after a crash too). */
    notifiedAt: at('notified_at'),
  },
  (t) => [
    oneOf('sandbox_payments_method_check', t.method, SANDBOX_METHODS),
    oneOf('sandbox_payments_status_check', t.status, SANDBOX_STATUSES),
    check('sandbox_payments_amount_check', sql`${t.amountMinor} > 0`),
    check('sandbox_payments_refund_check', sql`${t.refundedMinor} between 0 and ${t.amountMinor}`),
  ],
);

export const SANDBOX_PARCEL_STATUSES = ['booked', ...PARCEL_EVENTS] as const;

/**
 * The carrier simulator's own records, standing for a courier company's database: simdesk knows
 * a parcel only by its tracking number and the notifications it receives.
 */
export const sandboxParcels = pgTable(
  'sandbox_parcels',
  {
    trackingNumber: text('tracking_number').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    reference: text('reference').notNull(),
    recipient: jsonb('recipient').$type<{ name: string; phone: string; address: string }>().notNull(),
    status: text('status', { enum: SANDBOX_PARCEL_STATUSES }).notNull().default('booked'),
    attempts: integer('attempts').notNull().default(0),
    /** Handed over only by a person checking the passport at the door: the parcel stops at "out for delivery". */
    handOverInPerson: boolean('hand_over_in_person').notNull().default(false),
    /** When the parcel moves on by itself; null once it is delivered or returned, or when moved by hand only. */
    nextAt: at('next_at'),
    createdAt: createdAt(),
  },
  (t) => [
    oneOf('sandbox_parcels_status_check', t.status, SANDBOX_PARCEL_STATUSES),
    index('sandbox_parcels_next_idx').on(t.nextAt).where(sql`${t.nextAt} is not null`),
  ],
);
