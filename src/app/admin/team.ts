import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { and, asc, eq, sql } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { STAFF_ROLES, type StaffRole, staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { forgiveStaff } from '../auth/throttle.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { sealSecret } from '../secret-box.ts';
import { endAllStaffSessions } from '../staff/staff-sessions.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import { type FormProblems, problemsOf } from './form-values.ts';

/** The roles an operator's administrator hands out; the platform role belongs to the deployment. */
export const OPERATOR_ROLES = STAFF_ROLES.filter((r) => r !== 'platform_admin');

export type TeamMember = {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  centerId: string | null;
  active: boolean;
  enrolled: boolean;
  lastLoginAt: Date | null;
};

export async function team(db: Db, operatorId: string): Promise<TeamMember[]> {
  const rows = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      fullName: staffUsers.fullName,
      centerId: staffUsers.centerId,
      active: staffUsers.active,
      enrolled: sql<boolean>`${staffUsers.totpConfirmedAt} is not null`,
      lastLoginAt: staffUsers.lastLoginAt,
      roles: sql<
        StaffRole[]
      >`coalesce(array_agg(${staffRoles.role} order by ${staffRoles.role}) filter (where ${staffRoles.role} is not null), '{}')`,
    })
    .from(staffUsers)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(eq(staffUsers.operatorId, operatorId))
    .groupBy(staffUsers.id)
    .orderBy(asc(staffUsers.fullName));
  return rows;
}

const memberForm = z.object({
  roles: z.array(z.enum(OPERATOR_ROLES)).min(1, 'admin.invalid.roles'),
  centerId: z.union([z.literal('').transform(() => null), z.uuid()]),
});
const inviteForm = memberForm.extend({
  email: z.string().trim().toLowerCase().pipe(z.email('admin.invalid.email')),
  fullName: z.string().trim().min(2, 'admin.invalid.name').max(120, 'admin.invalid.name'),
});

type Form = Record<string, string | string[] | undefined>;
const listOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

async function checkMember(tx: Tx, operatorId: string, form: Form, schema: typeof memberForm | typeof inviteForm) {
  const parsed = schema.safeParse({ ...form, roles: listOf(form.roles), centerId: form.centerId ?? '' });
  const problems: FormProblems = parsed.success ? {} : problemsOf(parsed.error);
  const data = parsed.success ? parsed.data : null;
  if (data?.roles.includes('store_agent') && !data.centerId) problems.centerId = 'admin.invalid.agent_center';
  if (data?.centerId) {
    const [center] = await tx
      .select({ id: serviceCenters.id })
      .from(serviceCenters)
      .where(and(eq(serviceCenters.operatorId, operatorId), eq(serviceCenters.id, data.centerId)));
    if (!center) problems.centerId = 'admin.invalid.choice';
  }
  return Object.keys(problems).length > 0 || !data ? err(problems) : ok(data);
}

/**
 * Adds a staff member with roles and a center. A first password is made and shown once to the
 * administrator, who hands it over; the authenticator is enrolled at the first sign-in.
 */
export function inviteStaff(
  db: Db,
  documentKey: Buffer,
  staff: StaffActor,
  form: Form,
  now = new Date(),
): Promise<Result<{ id: string; password: string }, FormProblems>> {
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const checked = await checkMember(tx, staff.operatorId, form, inviteForm);
    if (!checked.ok) return checked;
    const { email, fullName, roles, centerId } = checked.value as z.output<typeof inviteForm>;
    const [taken] = await tx
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(and(eq(staffUsers.operatorId, staff.operatorId), sql`lower(${staffUsers.email}) = ${email}`));
    if (taken) return err({ email: 'admin.invalid.email_taken' });
    const password = randomBytes(12).toString('base64url');
    const [user] = await tx
      .insert(staffUsers)
      .values({
        operatorId: staff.operatorId,
        email,
        fullName,
        passwordHash: await hash(password),
        passwordChangeRequired: true,
        totpSecretEncrypted: sealSecret(documentKey, generateSecret()),
        centerId,
      })
      .returning({ id: staffUsers.id });
    const id = (user as { id: string }).id;
    await tx.insert(staffRoles).values(roles.map((role) => ({ operatorId: staff.operatorId, staffId: id, role })));
    await auditChange(
      tx,
      staff,
      'staff.invited',
      { kind: 'staff', id },
      null,
      { email, fullName, roles, centerId },
      now,
    );
    return ok({ id, password });
  });
}

/** Changes a member's roles, center and whether they may sign in; nobody takes away their own admin role or access. */
export function updateMember(
  db: Db,
  staff: StaffActor,
  memberId: string,
  form: Form,
  now = new Date(),
): Promise<Result<boolean, FormProblems>> {
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [member] = await tx
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, memberId)))
      .for('update');
    if (!member) return err({ form: 'admin.not_found' });
    const checked = await checkMember(tx, staff.operatorId, form, memberForm);
    if (!checked.ok) return checked;
    const active = form.active !== undefined;
    const { roles, centerId } = checked.value;
    if (memberId === staff.staffId && (!active || !roles.includes('admin'))) return err({ form: 'admin.invalid.self' });
    const held = await tx.select({ role: staffRoles.role }).from(staffRoles).where(eq(staffRoles.staffId, memberId));
    await tx
      .delete(staffRoles)
      .where(and(eq(staffRoles.staffId, memberId), sql`${staffRoles.role} <> 'platform_admin'`));
    await tx
      .insert(staffRoles)
      .values(roles.map((role) => ({ operatorId: staff.operatorId, staffId: memberId, role })));
    await tx.update(staffUsers).set({ centerId, active }).where(eq(staffUsers.id, memberId));
    const before = {
      roles: held
        .map((h) => h.role)
        .filter((r) => r !== 'platform_admin')
        .sort(),
      centerId: member.centerId,
      active: member.active,
    };
    const after = { roles: [...roles].sort(), centerId, active };
    return ok(await auditChange(tx, staff, 'staff.updated', { kind: 'staff', id: memberId }, before, after, now));
  }).then(async (result) => {
    if (result.ok && form.active === undefined) await endAllStaffSessions(db, memberId);
    return result;
  });
}

/** A lost phone: the member enrols a new authenticator at the next sign-in, and every session of theirs ends. */
export async function resetTotp(
  db: Db,
  documentKey: Buffer,
  staff: StaffActor,
  memberId: string,
  now = new Date(),
): Promise<Result<true, 'admin.not_found'>> {
  const reset = await transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [member] = await tx
      .update(staffUsers)
      .set({
        totpSecretEncrypted: sealSecret(documentKey, generateSecret()),
        totpConfirmedAt: null,
        totpLastStep: null,
      })
      .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, memberId)))
      .returning({ id: staffUsers.id });
    if (!member) return err('admin.not_found' as const);
    await auditChange(tx, staff, 'staff.totp_reset', { kind: 'staff', id: memberId }, null, null, now);
    return ok(true as const);
  });
  if (reset.ok) await endAllStaffSessions(db, memberId);
  return reset;
}

/**
 * An administrator lifts every sign-in lock and slow-down on a member (all addresses, the
 * authenticator step too), audited with how many counts were forgiven.
 */
export async function unlockStaffSignIn(
  db: Db,
  staff: StaffActor,
  memberId: string,
  now = new Date(),
): Promise<Result<number, 'admin.not_found'>> {
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [member] = await tx
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, memberId)));
    if (!member) return err('admin.not_found' as const);
    const forgiven = await forgiveStaff(tx, memberId);
    await auditChange(tx, staff, 'staff.sign_in_unlocked', { kind: 'staff', id: memberId }, null, { forgiven }, now);
    return ok(forgiven);
  });
}
