import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DOCUMENT_TYPES } from '../../domain/replacement.ts';
import { at, createdAt, id, LOCALES, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';

/** A subscriber's account; signs in with any of its lines' numbers. */
export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    operatorId: operatorId(),
    fullName: text('full_name').notNull(),
    email: text('email'),
    emailVerifiedAt: at('email_verified_at'),
    /** A bound second phone (E.164) for codes that must never go to the line being replaced. */
    secondPhone: text('second_phone'),
    locale: text('locale', { enum: LOCALES }).notNull().default('ru'),
    /** ISO 3166-1 alpha-2; operator policy may send foreign citizens to a center. */
    citizenship: char('citizenship', { length: 2 }).notNull().default('RU'),
    /** The identity document the contract was signed with, checked in person at the counter. */
    documentType: text('document_type', { enum: DOCUMENT_TYPES }),
    /** Its number, encrypted by the application (AES-256-GCM, bound to the account id). */
    documentNumberEncrypted: text('document_number_encrypted'),
    /** argon2id; null until the subscriber sets one (e.g. after an import). */
    passwordHash: text('password_hash'),
    passwordChangedAt: at('password_changed_at'),
    contactsChangedAt: at('contacts_changed_at'),
    simChangeLock: boolean('sim_change_lock').notNull().default(false),
    /** When a requested lock release takes effect. */
    lockReleaseAt: at('lock_release_at'),
    /** Set by "This wasn't me": no changes until the owner is verified. */
    frozenAt: at('frozen_at'),
    importRef: text('import_ref'),
    /**
     * Bumped by the database when the account row changes; with `account_views.version` (bumped
     * when its lines, requests and the rest change) it tells whether the account's pages kept in
     * memory are stale.
     */
    viewsVersion: bigint('views_version', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    unique('accounts_operator_id_key').on(t.operatorId, t.id),
    uniqueIndex('accounts_operator_email_idx')
      .on(t.operatorId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex('accounts_operator_import_ref_idx')
      .on(t.operatorId, t.importRef)
      .where(sql`${t.importRef} is not null`),
    oneOf('accounts_locale_check', t.locale, LOCALES),
    oneOf('accounts_document_type_check', t.documentType, DOCUMENT_TYPES),
    check('accounts_document_check', sql`(${t.documentType} is null) = (${t.documentNumberEncrypted} is null)`),
    check('accounts_second_phone_check', sql`${t.secondPhone} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);

/**
 * The version of an account's pages kept off the account's row: it is bumped at commit by every
 * change to the account's lines, SIMs, requests and the rest, and bumping it must never wait on a
 * lock that someone holding the account row waits on in turn (see migration 0029). No foreign
 * key, for the same reason: its check would share-lock the account.
 */
export const accountViews = pgTable('account_views', {
  accountId: uuid('account_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

export const LINE_KINDS = ['voice', 'data'] as const;
export const LINE_STATUSES = ['active', 'blocked', 'terminated'] as const;

/** A subscriber number. Its SIM is the one row of `sims` with this line and status active. */
export const lines = pgTable(
  'lines',
  {
    id: id(),
    operatorId: operatorId(),
    accountId: uuid('account_id').notNull(),
    msisdn: text('msisdn').notNull().unique(),
    kind: text('kind', { enum: LINE_KINDS }).notNull().default('voice'),
    status: text('status', { enum: LINE_STATUSES }).notNull().default('active'),
    blockedAt: at('blocked_at'),
    lastSimChangeAt: at('last_sim_change_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('lines_operator_id_key').on(t.operatorId, t.id),
    sameOperator('lines_account_fk', t.operatorId, t.accountId, accounts),
    oneOf('lines_kind_check', t.kind, LINE_KINDS),
    oneOf('lines_status_check', t.status, LINE_STATUSES),
    check('lines_msisdn_check', sql`${t.msisdn} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check('lines_blocked_check', sql`(${t.status} = 'blocked') = (${t.blockedAt} is not null)`),
  ],
);

/** Consent to personal-data processing (152-FZ): which text, when, from where. */
export const consents = pgTable(
  'consents',
  {
    id: id(),
    operatorId: operatorId(),
    accountId: uuid('account_id').notNull(),
    purpose: text('purpose').notNull(),
    textVersion: text('text_version').notNull(),
    acceptedAt: at('accepted_at').notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [sameOperator('consents_account_fk', t.operatorId, t.accountId, accounts)],
);
