import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { TERMINATION_REASONS } from '../../domain/swap-subscription.ts';
import { at, createdAt, id, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';
import { staffUsers } from './staff.ts';

/** What an API client may be granted: CAMARA's SIM Swap and its subscriptions, then the REST API's. */
export const API_SCOPES = [
  'sim-swap',
  'sim-swap:check',
  'sim-swap:retrieve-date',
  'sim-swap-subscriptions:org.camaraproject.sim-swap-subscriptions.v0.swapped:create',
  'sim-swap-subscriptions:read',
  'sim-swap-subscriptions:delete',
  'requests:read',
  'requests:write',
  'lines:write',
  'centers:read',
  'inventory:read',
  'sim-changes:read',
  'webhooks:manage',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A system of a bank or of the operator calling the APIs with OAuth 2.0 client credentials. */
export const apiClients = pgTable(
  'api_clients',
  {
    id: id(),
    operatorId: operatorId(),
    name: text('name').notNull(),
    /** The public `client_id`; the secret is shown once and kept as an argon2id hash. */
    clientId: text('client_id').notNull().unique(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    /** Calls allowed per minute on each instance; carried in the client's tokens, so checking it needs no database. */
    ratePerMinute: integer('rate_per_minute').notNull().default(6000),
    active: boolean('active').notNull().default(true),
    createdByStaffId: uuid('created_by_staff_id'),
    /** When the client last obtained a token. */
    lastUsedAt: at('last_used_at'),
    createdAt: createdAt(),
    revokedAt: at('revoked_at'),
  },
  (t) => [
    unique('api_clients_operator_id_key').on(t.operatorId, t.id),
    sameOperator('api_clients_created_by_fk', t.operatorId, t.createdByStaffId, staffUsers),
    check('api_clients_rate_check', sql`${t.ratePerMinute} > 0`),
    check(
      'api_clients_scopes_check',
      sql`${t.scopes} <@ array[${sql.raw(API_SCOPES.map((s) => `'${s}'`).join(', '))}]::text[]`,
    ),
  ],
);

/** Calls per client, endpoint and day, for billing; counted in memory and added here every few seconds. */
export const apiUsage = pgTable(
  'api_usage',
  {
    operatorId: operatorId(),
    clientId: uuid('client_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    endpoint: text('endpoint').notNull(),
    calls: bigint('calls', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.day, t.endpoint] }),
    sameOperator('api_usage_client_fk', t.operatorId, t.clientId, apiClients),
  ],
);

/**
 * A creating POST's `Idempotency-Key`: the first call's fingerprint and answer, so the same key
 * with the same body gets the same answer and with another body a 422. `status` is null while the
 * first call is still being answered.
 */
export const apiIdempotencyKeys = pgTable(
  'api_idempotency_keys',
  {
    operatorId: operatorId(),
    clientId: uuid('client_id').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the method, path and body. */
    fingerprint: text('fingerprint').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    location: text('location'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.key] }),
    sameOperator('api_idempotency_keys_client_fk', t.operatorId, t.clientId, apiClients),
    index('api_idempotency_keys_created_idx').on(t.createdAt),
  ],
);

export const CAMARA_SUBSCRIPTION_STATUSES = ['ACTIVE', 'EXPIRED', 'DELETED'] as const;

/** A bank's CAMARA SIM Swap subscription: CloudEvents are POSTed to `sink` when the number's SIM changes. */
export const camaraSubscriptions = pgTable(
  'camara_subscriptions',
  {
    id: id(),
    operatorId: operatorId(),
    clientId: uuid('client_id').notNull(),
    phoneNumber: text('phone_number').notNull(),
    /** The number came from a three-legged token, so it is never repeated in answers. */
    fromToken: boolean('from_token').notNull(),
    sink: text('sink').notNull(),
    /** The sink's bearer token, sealed with the document key; null when the sink takes none. */
    sinkTokenSealed: text('sink_token_sealed'),
    sinkTokenExpiresAt: at('sink_token_expires_at'),
    expiresAt: at('expires_at'),
    maxEvents: integer('max_events'),
    eventsSent: integer('events_sent').notNull().default(0),
    status: text('status', { enum: CAMARA_SUBSCRIPTION_STATUSES }).notNull().default('ACTIVE'),
    terminationReason: text('termination_reason', { enum: TERMINATION_REASONS }),
    startsAt: createdAt(),
    endedAt: at('ended_at'),
  },
  (t) => [
    unique('camara_subscriptions_operator_id_key').on(t.operatorId, t.id),
    sameOperator('camara_subscriptions_client_fk', t.operatorId, t.clientId, apiClients),
    oneOf('camara_subscriptions_status_check', t.status, CAMARA_SUBSCRIPTION_STATUSES),
    oneOf('camara_subscriptions_reason_check', t.terminationReason, TERMINATION_REASONS),
    check('camara_subscriptions_max_events_check', sql`${t.maxEvents} is null or ${t.maxEvents} >= 1`),
    index('camara_subscriptions_active_idx').on(t.operatorId, t.phoneNumber).where(sql`${t.status} = 'ACTIVE'`),
  ],
);
