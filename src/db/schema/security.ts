import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { serviceCenters } from './centers.ts';
import { at, createdAt, id, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';
import { staffUsers } from './staff.ts';
import { accounts } from './subscribers.ts';

export const SESSION_SUBJECTS = ['subscriber', 'staff'] as const;

/** Server-side sessions; the cookie holds a random token, the row its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    operatorId: operatorId(),
    subject: text('subject', { enum: SESSION_SUBJECTS }).notNull(),
    accountId: uuid('account_id'),
    staffId: uuid('staff_id'),
    csrfToken: text('csrf_token').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    reauthenticatedAt: at('reauthenticated_at'),
    secondFactorAt: at('second_factor_at'),
    /** The center an administrator without one of their own works the counter of, in this session. */
    counterCenterId: uuid('counter_center_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    sameOperator('sessions_account_fk', t.operatorId, t.accountId, accounts),
    sameOperator('sessions_staff_fk', t.operatorId, t.staffId, staffUsers),
    sameOperator('sessions_counter_center_fk', t.operatorId, t.counterCenterId, serviceCenters),
    oneOf('sessions_subject_check', t.subject, SESSION_SUBJECTS),
    check(
      'sessions_one_subject_check',
      sql`(${t.subject} = 'subscriber' and ${t.accountId} is not null and ${t.staffId} is null) or (${t.subject} = 'staff' and ${t.staffId} is not null and ${t.accountId} is null)`,
    ),
    index('sessions_account_idx').on(t.accountId),
    index('sessions_expiry_idx').on(t.expiresAt),
  ],
);

export const OTP_PURPOSES = ['second_factor', 'password_reset', 'contact_change', 'reauthentication'] as const;
export const OTP_CHANNELS = ['email', 'sms'] as const;

/** A one-time code sent to an e-mail or a second phone; only its hash is kept. */
export const otpChallenges = pgTable(
  'otp_challenges',
  {
    id: id(),
    operatorId: operatorId(),
    accountId: uuid('account_id').notNull(),
    purpose: text('purpose', { enum: OTP_PURPOSES }).notNull(),
    channel: text('channel', { enum: OTP_CHANNELS }).notNull(),
    destination: text('destination').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: at('expires_at').notNull(),
    consumedAt: at('consumed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('otp_challenges_account_fk', t.operatorId, t.accountId, accounts),
    oneOf('otp_challenges_purpose_check', t.purpose, OTP_PURPOSES),
    oneOf('otp_challenges_channel_check', t.channel, OTP_CHANNELS),
    check('otp_challenges_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: id(),
    operatorId: operatorId(),
    accountId: uuid('account_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    channel: text('channel', { enum: OTP_CHANNELS }).notNull(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('password_reset_tokens_account_fk', t.operatorId, t.accountId, accounts),
    oneOf('password_reset_tokens_channel_check', t.channel, OTP_CHANNELS),
  ],
);

/** Every sign-in attempt, for rate limits, lockout and risk signals. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    operatorId: uuid('operator_id'),
    subject: text('subject', { enum: SESSION_SUBJECTS }).notNull(),
    accountId: uuid('account_id'),
    staffId: uuid('staff_id'),
    /** SHA-256 of the identifier typed, so unknown numbers are counted without being stored. */
    identifierHash: text('identifier_hash').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    oneOf('login_attempts_subject_check', t.subject, SESSION_SUBJECTS),
    index('login_attempts_identifier_idx').on(t.identifierHash, t.createdAt),
    index('login_attempts_ip_idx').on(t.ip, t.createdAt),
  ],
);

/**
 * Failed attempts at a secret, counted per thing they are against: `account:<id>`,
 * `staff:<id>`, `number:<hash>` for numbers nobody owns, `address:<ip>`. Counting and locking
 * happen in one statement (app/auth/throttle.ts), so parallel attempts cannot slip past.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    lockedUntil: at('locked_until'),
    lastFailureAt: at('last_failure_at').notNull(),
  },
  (t) => [check('login_throttle_failures_check', sql`${t.failures} >= 0`)],
);
