import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { FeeItem } from '../../domain/fees.ts';
import {
  CHANNELS,
  DELIVERIES,
  type DeliveryAddress,
  DOCUMENT_TYPES,
  PARCEL_EVENTS,
  REASONS,
  SIM_TYPES,
} from '../../domain/replacement.ts';
import { REQUEST_STATUSES, TERMINAL_STATUSES } from '../../domain/request-machine.ts';
import { serviceCenters } from './centers.ts';
import { at, createdAt, id, LOCALES, notIn, oneOf, sameOperator } from './columns.ts';
import { deliveryZones, operatorId } from './operators.ts';
import { sims } from './sims.ts';
import { staffUsers } from './staff.ts';
import { accounts, lines } from './subscribers.ts';

/** A SIM replacement request; `status` only changes through domain/request-machine.ts. */
export const replacementRequests = pgTable(
  'replacement_requests',
  {
    id: id(),
    operatorId: operatorId(),
    /** Short reference people read out on the phone, e.g. "R-7K3M9Q". */
    reference: text('reference').notNull().unique(),
    accountId: uuid('account_id').notNull(),
    lineId: uuid('line_id').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    reason: text('reason', { enum: REASONS }),
    simType: text('sim_type', { enum: SIM_TYPES }),
    delivery: text('delivery', { enum: DELIVERIES }),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('draft'),
    /** Optimistic lock: every update checks and bumps it. */
    version: integer('version').notNull().default(1),
    centerId: uuid('center_id'),
    deliveryZoneId: uuid('delivery_zone_id'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    contactEmail: text('contact_email'),
    deliveryAddress: jsonb('delivery_address').$type<DeliveryAddress>(),
    feeMinor: integer('fee_minor').notNull().default(0),
    currency: char('currency', { length: 3 }).notNull().default('RUB'),
    feeItems: jsonb('fee_items').$type<FeeItem[]>().notNull().default([]),
    paidAt: at('paid_at'),
    riskScore: integer('risk_score').notNull().default(0),
    riskSignals: text('risk_signals').array().notNull().default(sql`'{}'::text[]`),
    fourEyes: boolean('four_eyes').notNull().default(false),
    firstApproverId: uuid('first_approver_id'),
    secondApproverId: uuid('second_approver_id'),
    approvedInPerson: boolean('approved_in_person').notNull().default(false),
    simId: uuid('sim_id'),
    createdByStaffId: uuid('created_by_staff_id'),
    infoRequest: text('info_request'),
    rejectionReason: text('rejection_reason'),
    /** The hold after approval: the swap may not run before this. */
    holdUntil: at('hold_until'),
    submittedAt: at('submitted_at'),
    activatedAt: at('activated_at'),
    /** An eSIM activation code is shown once; after that only support can issue another. */
    activationCodeShownAt: at('activation_code_shown_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('replacement_requests_operator_id_key').on(t.operatorId, t.id),
    sameOperator('replacement_requests_account_fk', t.operatorId, t.accountId, accounts),
    sameOperator('replacement_requests_line_fk', t.operatorId, t.lineId, lines),
    sameOperator('replacement_requests_center_fk', t.operatorId, t.centerId, serviceCenters),
    sameOperator('replacement_requests_zone_fk', t.operatorId, t.deliveryZoneId, deliveryZones),
    sameOperator('replacement_requests_sim_fk', t.operatorId, t.simId, sims),
    sameOperator('replacement_requests_first_approver_fk', t.operatorId, t.firstApproverId, staffUsers),
    sameOperator('replacement_requests_second_approver_fk', t.operatorId, t.secondApproverId, staffUsers),
    sameOperator('replacement_requests_created_by_fk', t.operatorId, t.createdByStaffId, staffUsers),
    oneOf('replacement_requests_channel_check', t.channel, CHANNELS),
    oneOf('replacement_requests_reason_check', t.reason, REASONS),
    oneOf('replacement_requests_sim_type_check', t.simType, SIM_TYPES),
    oneOf('replacement_requests_delivery_check', t.delivery, DELIVERIES),
    oneOf('replacement_requests_status_check', t.status, REQUEST_STATUSES),
    check('replacement_requests_fee_check', sql`${t.feeMinor} >= 0`),
    check('replacement_requests_risk_check', sql`${t.riskScore} between 0 and 100`),
    check(
      'replacement_requests_submitted_check',
      sql`${t.status} = 'draft' or (${t.status} = 'cancelled' and ${t.submittedAt} is null) or (${t.reason} is not null and ${t.simType} is not null and ${t.delivery} is not null and ${t.submittedAt} is not null)`,
    ),
    check(
      'replacement_requests_distinct_approvers_check',
      sql`${t.secondApproverId} is null or ${t.secondApproverId} <> ${t.firstApproverId}`,
    ),
    uniqueIndex('replacement_requests_one_open_per_line_idx').on(t.lineId).where(notIn(t.status, TERMINAL_STATUSES)),
    uniqueIndex('replacement_requests_sim_idx')
      .on(t.simId)
      .where(notIn(t.status, ['cancelled', 'rejected', 'failed'])),
    index('replacement_requests_queue_idx').on(t.operatorId, t.status, t.submittedAt),
    // The review queue reads its page in this order straight from the index, however long it is.
    index('replacement_requests_review_idx')
      .on(t.operatorId, t.submittedAt, t.id)
      .where(sql`${t.status} in ('in_review', 'second_review')`),
  ],
);

export const ACTOR_KINDS = ['subscriber', 'staff', 'system', 'api_client'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The request timeline: one row per accepted event, written with the status change. */
export const requestEvents = pgTable(
  'request_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    operatorId: operatorId(),
    requestId: uuid('request_id').notNull(),
    type: text('type').notNull(),
    fromStatus: text('from_status', { enum: REQUEST_STATUSES }),
    toStatus: text('to_status', { enum: REQUEST_STATUSES }).notNull(),
    actorKind: text('actor_kind', { enum: ACTOR_KINDS }).notNull(),
    actorId: text('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('request_events_request_fk', t.operatorId, t.requestId, replacementRequests),
    oneOf('request_events_from_status_check', t.fromStatus, REQUEST_STATUSES),
    oneOf('request_events_to_status_check', t.toStatus, REQUEST_STATUSES),
    oneOf('request_events_actor_kind_check', t.actorKind, ACTOR_KINDS),
    index('request_events_request_idx').on(t.requestId, t.id),
  ],
);

/** Metadata of an identity document; the encrypted content lives in storage under `storage_key`. */
export const identityDocuments = pgTable(
  'identity_documents',
  {
    id: id(),
    operatorId: operatorId(),
    accountId: uuid('account_id').notNull(),
    requestId: uuid('request_id'),
    docType: text('doc_type', { enum: DOCUMENT_TYPES }).notNull(),
    /** The document number, encrypted by the application (AES-256-GCM). */
    numberEncrypted: text('number_encrypted').notNull(),
    /** Null when the passport was checked in person and nothing was scanned, or after purging. */
    storageKey: text('storage_key'),
    contentType: text('content_type'),
    sizeBytes: integer('size_bytes'),
    sha256: text('sha256'),
    keyId: text('key_id').notNull(),
    verifiedInPerson: boolean('verified_in_person').notNull().default(false),
    purgeAfter: at('purge_after').notNull(),
    purgedAt: at('purged_at'),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('identity_documents_account_fk', t.operatorId, t.accountId, accounts),
    sameOperator('identity_documents_request_fk', t.operatorId, t.requestId, replacementRequests),
    oneOf('identity_documents_type_check', t.docType, DOCUMENT_TYPES),
    check(
      'identity_documents_content_type_check',
      sql`${t.contentType} in ('image/jpeg', 'image/png', 'application/pdf')`,
    ),
    check('identity_documents_purged_check', sql`${t.purgedAt} is null or ${t.storageKey} is null`),
    index('identity_documents_purge_idx').on(t.purgeAfter).where(sql`${t.purgedAt} is null`),
  ],
);

export const PAYMENT_METHODS = ['card', 'ewallet', 'cash', 'card_terminal'] as const;
export const PAYMENT_STATUSES = [
  'pending',
  'requires_action',
  'succeeded',
  'failed',
  'refund_pending',
  'refunded',
] as const;

export const payments = pgTable(
  'payments',
  {
    id: id(),
    operatorId: operatorId(),
    requestId: uuid('request_id').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    provider: text('provider').notNull(),
    providerRef: text('provider_ref'),
    /** Last four digits of the card, as the gateway reports them, for the receipt. */
    cardLast4: char('card_last4', { length: 4 }),
    /** A double submit reuses the key and so the charge. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** Payments taken at a counter: who took them and where. */
    receivedByStaffId: uuid('received_by_staff_id'),
    centerId: uuid('center_id'),
    failureReason: text('failure_reason'),
    succeededAt: at('succeeded_at'),
    refundedAt: at('refunded_at'),
    /** A counter payment is refunded at its center: the agent who paid it out, and the terminal's reversal slip. */
    refundedByStaffId: uuid('refunded_by_staff_id'),
    refundSlipRef: text('refund_slip_ref'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    sameOperator('payments_request_fk', t.operatorId, t.requestId, replacementRequests),
    sameOperator('payments_received_by_fk', t.operatorId, t.receivedByStaffId, staffUsers),
    sameOperator('payments_refunded_by_fk', t.operatorId, t.refundedByStaffId, staffUsers),
    check(
      'payments_counter_refund_check',
      sql`${t.provider} <> 'counter' or ${t.status} <> 'refunded' or ${t.refundedByStaffId} is not null`,
    ),
    sameOperator('payments_center_fk', t.operatorId, t.centerId, serviceCenters),
    check(
      'payments_counter_check',
      sql`${t.method} not in ('cash', 'card_terminal') or (${t.receivedByStaffId} is not null and ${t.centerId} is not null)`,
    ),
    oneOf('payments_method_check', t.method, PAYMENT_METHODS),
    oneOf('payments_status_check', t.status, PAYMENT_STATUSES),
    check('payments_amount_check', sql`${t.amountMinor} > 0`),
    // A gateway's reference names one charge; a card terminal's slip number repeats across terminals and days.
    uniqueIndex('payments_provider_ref_idx').on(t.provider, t.providerRef).where(sql`${t.provider} <> 'counter'`),
    uniqueIndex('payments_one_success_per_request_idx').on(t.requestId).where(sql`${t.status} = 'succeeded'`),
  ],
);

export const SHIPMENT_STATUSES = ['created', ...PARCEL_EVENTS] as const;

export const shipments = pgTable(
  'shipments',
  {
    id: id(),
    operatorId: operatorId(),
    requestId: uuid('request_id').notNull(),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    status: text('status', { enum: SHIPMENT_STATUSES }).notNull().default('created'),
    expectedFrom: date('expected_from', { mode: 'string' }).notNull(),
    expectedTo: date('expected_to', { mode: 'string' }).notNull(),
    dispatchedAt: at('dispatched_at'),
    deliveredAt: at('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('shipments_request_fk', t.operatorId, t.requestId, replacementRequests),
    oneOf('shipments_status_check', t.status, SHIPMENT_STATUSES),
    unique('shipments_operator_id_key').on(t.operatorId, t.id),
    unique('shipments_tracking_key').on(t.carrier, t.trackingNumber),
    check('shipments_window_check', sql`${t.expectedFrom} <= ${t.expectedTo}`),
  ],
);

/**
 * Every tracking notification a carrier sent, kept once: the unique event id makes a notice
 * delivered twice change nothing the second time. It is also the parcel's tracking history.
 */
export const carrierEvents = pgTable(
  'carrier_events',
  {
    id: id(),
    operatorId: operatorId(),
    shipmentId: uuid('shipment_id').notNull(),
    carrier: text('carrier').notNull(),
    eventId: text('event_id').notNull(),
    event: text('event', { enum: PARCEL_EVENTS }).notNull(),
    occurredAt: at('occurred_at').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [
    unique('carrier_events_event_key').on(t.carrier, t.eventId),
    sameOperator('carrier_events_shipment_fk', t.operatorId, t.shipmentId, shipments),
    oneOf('carrier_events_event_check', t.event, PARCEL_EVENTS),
    index('carrier_events_shipment_idx').on(t.shipmentId, t.occurredAt),
  ],
);

/** `pending` holds a place until the one-time code sent to the phone is typed; it does not count against the slot. */
export const APPOINTMENT_STATUSES = ['pending', 'booked', 'cancelled', 'attended', 'no_show'] as const;

/** A booked visit to a service center. */
export const appointments = pgTable(
  'appointments',
  {
    id: id(),
    operatorId: operatorId(),
    centerId: uuid('center_id').notNull(),
    accountId: uuid('account_id'),
    requestId: uuid('request_id'),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    status: text('status', { enum: APPOINTMENT_STATUSES }).notNull().default('booked'),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    contactEmail: text('contact_email'),
    /** The number the visit is about, when it is not the contact phone (a lost SIM cannot receive the code). */
    lineMsisdn: text('line_msisdn'),
    locale: text('locale', { enum: LOCALES }).notNull().default('ru'),
    /** The one-time code of a pending booking: its hash, expiry and wrong tries. */
    codeHash: text('code_hash'),
    codeExpiresAt: at('code_expires_at'),
    codeAttempts: smallint('code_attempts').notNull().default(0),
    /** The short code on the visit ticket, typed or scanned at the counter, e.g. "V-4K7M2Q". */
    ticket: text('ticket').notNull(),
    /** Hash of the secret in the cancel-or-move link sent with the confirmation. */
    manageTokenHash: text('manage_token_hash').notNull().unique(),
    reminderSentAt: at('reminder_sent_at'),
    /** The address the booking came from, for the cap on active visits per address. */
    clientIp: text('client_ip'),
    createdAt: createdAt(),
  },
  (t) => [
    index('appointments_active_idx').on(t.operatorId, t.startsAt).where(sql`${t.status} in ('pending', 'booked')`),
    index('appointments_phone_idx').on(t.operatorId, t.contactPhone, t.createdAt),
    unique('appointments_ticket_key').on(t.operatorId, t.ticket),
    index('appointments_reminder_idx')
      .on(t.startsAt)
      .where(sql`${t.status} = 'booked' and ${t.reminderSentAt} is null`),
    oneOf('appointments_locale_check', t.locale, LOCALES),
    sameOperator('appointments_center_fk', t.operatorId, t.centerId, serviceCenters),
    sameOperator('appointments_account_fk', t.operatorId, t.accountId, accounts),
    sameOperator('appointments_request_fk', t.operatorId, t.requestId, replacementRequests),
    oneOf('appointments_status_check', t.status, APPOINTMENT_STATUSES),
    check('appointments_interval_check', sql`${t.startsAt} < ${t.endsAt}`),
    index('appointments_center_idx').on(t.centerId, t.startsAt),
  ],
);
