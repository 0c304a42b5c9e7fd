import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, id, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';

/** What an operator's own systems can be told about, as it happens. */
export const WEBHOOK_EVENTS = ['request.status_changed', 'sim.activated', 'line.blocked', 'line.unblocked'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** An operator's system listening for events: where they are posted, which ones, and the secret they are signed with. */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: id(),
    operatorId: operatorId(),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    /** The signing secret, sealed with the document key; shown to the administrator once. */
    secretEncrypted: text('secret_encrypted').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    unique('webhook_subscriptions_operator_id_key').on(t.operatorId, t.id),
    check('webhook_subscriptions_url_check', sql`${t.url} ~ '^https?://'`),
    check('webhook_subscriptions_events_check', sql`cardinality(${t.events}) > 0`),
  ],
);

/** One event for one subscription: what was sent, and the last answer, for the delivery log. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    operatorId: operatorId(),
    subscriptionId: uuid('subscription_id').notNull(),
    eventId: uuid('event_id').notNull(),
    event: text('event').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: smallint('last_status_code'),
    lastResponse: text('last_response'),
    lastAttemptAt: at('last_attempt_at'),
    deliveredAt: at('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('webhook_deliveries_subscription_fk', t.operatorId, t.subscriptionId, webhookSubscriptions),
    unique('webhook_deliveries_event_key').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_log_idx').on(t.subscriptionId, t.id),
  ],
);
