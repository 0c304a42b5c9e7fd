import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { generateURI, verify as verifyTotp } from 'otplib';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { loginAttempts } from '../../db/schema/security.ts';
import { staffUsers } from '../../db/schema/staff.ts';
import { ACCOUNT_POLICY, STAFF_WIDE_POLICY } from '../../domain/lockout.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { DEFAULT_LOCALE, translator } from '../../i18n/translate.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { passwordAttempt } from '../auth/password-attempt.ts';
import { claimAttempt, forgiveAll, throttleKey } from '../auth/throttle.ts';
import { sha256 } from '../auth/tokens.ts';
import { enqueue } from '../outbox/outbox.ts';
import { openSecret } from '../secret-box.ts';

export type StaffSignInError = 'auth.invalid' | 'auth.locked' | 'auth.rate_limited';
export type TotpError = 'staff.totp_wrong' | 'auth.locked';

/**
 * The first step of a staff sign-in: e-mail and password, within the operator whose site it
 * is. Failures are counted per staff member and per address as for subscribers; an unknown
 * e-mail costs the same work and is counted alike. Success is only half a sign-in: the
 * authenticator code follows (`confirmTotp`).
 */
export async function checkStaffPassword(
  db: Db,
  input: { operatorId: string; email: string; password: string; ip: string; now?: Date },
): Promise<Result<{ staffId: string }, StaffSignInError>> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const [staff] = await db
    .select({ id: staffUsers.id, passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(
      and(
        eq(staffUsers.operatorId, input.operatorId),
        sql`lower(${staffUsers.email}) = ${email}`,
        eq(staffUsers.active, true),
      ),
    );
  // The hard lock is per member and address: a stranger who knows the e-mail locks only their own
  // address; across addresses the member's sign-in is only slowed down (STAFF_WIDE_POLICY).
  const subject = staff
    ? throttleKey.staffAt(staff.id, input.ip)
    : throttleKey.number(input.operatorId, `staff:${email}:${input.ip}`);
  const wide = {
    key: staff ? throttleKey.staffAnywhere(staff.id) : throttleKey.number(input.operatorId, `staff:${email}`),
    policy: STAFF_WIDE_POLICY,
  };
  const record = (succeeded: boolean) =>
    db.insert(loginAttempts).values({
      operatorId: input.operatorId,
      subject: 'staff',
      staffId: staff?.id ?? null,
      identifierHash: sha256(`${input.operatorId}:staff:${email}`),
      ip: input.ip,
      succeeded,
      createdAt: now,
    });
  const attempt = await passwordAttempt(db, {
    subject,
    wide,
    ip: input.ip,
    passwordHash: staff?.passwordHash ?? null,
    password: input.password,
    now,
    record,
  });
  if (!attempt.ok) {
    if (staff && attempt.error === 'auth.invalid' && attempt.failures === ACCOUNT_POLICY.free)
      await tellMemberOfFailures(db, input.operatorId, staff.id, input.ip, now);
    return err(attempt.error);
  }
  if (!staff) return err('auth.invalid');
  return ok({ staffId: staff.id });
}

/**
 * The member is told when sign-ins as them keep failing from one address (that address is now
 * locked, the member's own are not): once per address and day, in the staff's language.
 */
async function tellMemberOfFailures(db: Db, operatorId: string, staffId: string, ip: string, now: Date) {
  const [member] = await db.select({ email: staffUsers.email }).from(staffUsers).where(eq(staffUsers.id, staffId));
  if (!member) return;
  const t = translator(DEFAULT_LOCALE);
  const values = { ip, n: ACCOUNT_POLICY.free };
  await db.transaction((tx) =>
    enqueue(tx, {
      operatorId,
      topic: 'email.send',
      payload: {
        to: member.email,
        subject: t('email.staffFailures.subject', values),
        text: t('email.staffFailures.body', values),
      },
      idempotencyKey: `staff-failures:${staffId}:${ip}:${now.toISOString().slice(0, 10)}`,
    }),
  );
}

/** What the authenticator page shows: the enrolment QR's URI until the first code is confirmed. */
export async function totpEnrolment(
  db: Db,
  documentKey: Buffer,
  staffId: string,
): Promise<{ enrolled: true } | { enrolled: false; uri: string; secret: string }> {
  const [row] = await db
    .select({
      email: staffUsers.email,
      sealed: staffUsers.totpSecretEncrypted,
      confirmedAt: staffUsers.totpConfirmedAt,
      slug: operators.slug,
    })
    .from(staffUsers)
    .innerJoin(operators, eq(operators.id, staffUsers.operatorId))
    .where(eq(staffUsers.id, staffId));
  if (!row?.sealed) throw new Error(`staff ${staffId} has no authenticator seed`);
  if (row.confirmedAt) return { enrolled: true };
  const secret = openSecret(documentKey, row.sealed);
  return { enrolled: false, secret, uri: generateURI({ issuer: `simdesk ${row.slug}`, label: row.email, secret }) };
}

/**
 * The second step: a code from the staff member's authenticator (one 30-second step of clock
 * drift either way). Wrong codes are counted and locked like passwords, under their own key so
 * a stolen password cannot be used to lock the owner out of the second step's count. The first
 * good code also confirms the enrolment; the sign-in is audited.
 */
export async function confirmTotp(
  db: Db,
  documentKey: Buffer,
  input: { operatorId: string; staffId: string; code: string; ip: string; now?: Date },
): Promise<Result<void, TotpError>> {
  const now = input.now ?? new Date();
  const key = throttleKey.totpAt(input.staffId, input.ip);
  const claim = await claimAttempt(db, key, ACCOUNT_POLICY, now);
  if (!claim.allowed) return err('auth.locked');
  const [row] = await db
    .select({ sealed: staffUsers.totpSecretEncrypted, confirmedAt: staffUsers.totpConfirmedAt })
    .from(staffUsers)
    .where(and(eq(staffUsers.operatorId, input.operatorId), eq(staffUsers.id, input.staffId)));
  const code = input.code.replace(/\s+/g, '');
  if (!row?.sealed || !/^\d{6}$/.test(code)) return err('staff.totp_wrong');
  const secret = openSecret(documentKey, row.sealed);
  const checked = await verifyTotp({
    secret,
    token: code,
    epochTolerance: 30,
    epoch: Math.floor(now.getTime() / 1000),
  });
  if (!checked.valid || !('timeStep' in checked)) return err('staff.totp_wrong');
  const accepted = await db.transaction(async (tx) => {
    // Only a later time step than the last accepted one: a code seen over a shoulder cannot be replayed.
    const claimed = await tx
      .update(staffUsers)
      .set({ lastLoginAt: now, totpLastStep: checked.timeStep, ...(row.confirmedAt ? {} : { totpConfirmedAt: now }) })
      .where(
        and(
          eq(staffUsers.id, input.staffId),
          or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, checked.timeStep)),
        ),
      )
      .returning({ id: staffUsers.id });
    if (claimed.length === 0) return false;
    await appendAudit(
      tx,
      {
        operatorId: input.operatorId,
        actorKind: 'staff',
        actorId: input.staffId,
        action: row.confirmedAt ? 'staff.sign_in' : 'staff.totp_enrolled',
        targetKind: 'staff',
        targetId: input.staffId,
        ip: input.ip,
      },
      now,
    );
    return true;
  });
  if (!accepted) return err('staff.totp_wrong');
  await forgiveAll(db, key);
  await forgiveAll(db, throttleKey.staff(input.staffId));
  await forgiveAll(db, throttleKey.staffAnywhere(input.staffId));
  await forgiveAll(db, throttleKey.staffAt(input.staffId, input.ip));
  await forgiveAll(db, key);
  return ok(undefined);
}
