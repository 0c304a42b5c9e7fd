import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, integer, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';
import { staffUsers } from './staff.ts';

/** What an API client may be granted; CAMARA's SIM Swap scopes first. */
export const API_SCOPES = ['sim-swap', 'sim-swap:check', 'sim-swap:retrieve-date'] as const;
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
