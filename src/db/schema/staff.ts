import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { serviceCenters } from './centers.ts';
import { at, createdAt, id, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';

/** `platform_admin` looks after the deployment: every operator (brand), not one operator's service. */
export const STAFF_ROLES = ['reviewer', 'store_agent', 'logistics', 'admin', 'courier', 'platform_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const staffUsers = pgTable(
  'staff_users',
  {
    id: id(),
    operatorId: operatorId(),
    email: text('email').notNull(),
    fullName: text('full_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** The password was set by an administrator, who knows it: it must be changed at the next sign-in. */
    passwordChangeRequired: boolean('password_change_required').notNull().default(false),
    /** TOTP secret, encrypted by the application; staff sign-in requires it. */
    totpSecretEncrypted: text('totp_secret_encrypted'),
    totpConfirmedAt: at('totp_confirmed_at'),
    /** The time step of the last accepted code: a code is never accepted twice (RFC 6238 §5.2). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** Home center of a store agent. */
    centerId: uuid('center_id'),
    active: boolean('active').notNull().default(true),
    lastLoginAt: at('last_login_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('staff_users_operator_id_key').on(t.operatorId, t.id),
    uniqueIndex('staff_users_operator_email_idx').on(t.operatorId, sql`lower(${t.email})`),
    sameOperator('staff_users_center_fk', t.operatorId, t.centerId, serviceCenters),
  ],
);

export const staffRoles = pgTable(
  'staff_roles',
  {
    operatorId: operatorId(),
    staffId: uuid('staff_id').notNull(),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.staffId, t.role] }),
    sameOperator('staff_roles_staff_fk', t.operatorId, t.staffId, staffUsers),
    oneOf('staff_roles_role_check', t.role, STAFF_ROLES),
  ],
);

/**
 * A one-time link that lets a new member set their own password (their authenticator follows at
 * the first sign-in): nobody else ever knows it. Only the token's hash is kept.
 */
export const staffEnrolments = pgTable(
  'staff_enrolments',
  {
    tokenHash: text('token_hash').primaryKey(),
    operatorId: operatorId(),
    staffId: uuid('staff_id').notNull(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    sameOperator('staff_enrolments_staff_fk', t.operatorId, t.staffId, staffUsers),
    index('staff_enrolments_staff_idx').on(t.staffId),
  ],
);
