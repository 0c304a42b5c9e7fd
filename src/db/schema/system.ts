import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, oneOf } from './columns.ts';
import { operators } from './operators.ts';
import { ACTOR_KINDS } from './requests.ts';

/**
 * Audit log of staff actions and document access. Each row's hash covers its content and the
 * previous row's hash, so editing or deleting a row breaks the chain (`simdesk audit verify`).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    operatorId: uuid('operator_id').references(() => operators.id),
    actorKind: text('actor_kind', { enum: ACTOR_KINDS }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetKind: text('target_kind'),
    targetId: text('target_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    createdAt: createdAt(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [oneOf('audit_log_actor_kind_check', t.actorKind, ACTOR_KINDS)],
);

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;

/**
 * Side effects (messages, provisioning calls, webhooks) written in the same transaction as the
 * change that causes them and delivered by workers; the idempotency key travels to the receiver.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    operatorId: uuid('operator_id').references(() => operators.id),
    topic: text('topic').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: at('sent_at'),
  },
  (t) => [
    oneOf('outbox_status_check', t.status, OUTBOX_STATUSES),
    check('outbox_attempts_check', sql`${t.attempts} >= 0`),
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    // The latest block or unblock of a number: the state its network commands must end in.
    index('outbox_line_state_idx')
      .on(t.operatorId, sql`(${t.payload}->>'msisdn')`, t.id.desc())
      .where(sql`${t.topic} in ('line.suspend', 'line.resume')`),
  ],
);

/**
 * Allowances shared by every instance: how much of a limit each name (an address, an operator's
 * SMS budget) has used in a fixed window, counted in the transaction that spends it.
 */
export const allowances = pgTable(
  'allowances',
  {
    name: text('name').notNull(),
    windowStart: at('window_start').notNull(),
    used: integer('used').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.windowStart] }), index('allowances_window_idx').on(t.windowStart)],
);

/**
 * Short leases on a name, shared by every instance: one holder at a time (the network commands of
 * one number), and a holder that dies loses it when it runs out, without holding a connection.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  until: at('until').notNull(),
});

/**
 * A keyed fingerprint of each secret every instance must share (HMAC of a fixed text under the
 * secret: it tells whether two secrets are equal and nothing about either), written by the first
 * instance to start; an instance whose secret differs refuses to start.
 */
export const sharedSecretChecks = pgTable('shared_secret_checks', {
  name: text('name').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: createdAt(),
});
