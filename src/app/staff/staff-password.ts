import { hash } from '@node-rs/argon2';
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loginAttempts, sessions } from '../../db/schema/security.ts';
import { staffUsers } from '../../db/schema/staff.ts';
import { type PasswordProblem, passwordProblem } from '../../domain/password-policy.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { passwordAttempt } from '../auth/password-attempt.ts';
import { throttleKey } from '../auth/throttle.ts';
import { sha256 } from '../auth/tokens.ts';
import type { StaffActor } from '../requests/staff-step.ts';

export type StaffPasswordProblems = {
  current?: 'staff.password.current_wrong' | 'auth.locked' | 'auth.rate_limited';
  next?: PasswordProblem | 'staff.password.same';
  repeat?: 'staff.password.mismatch';
};

/**
 * A member changes their own password: the current one proves it is them (a wrong one counts
 * toward the same lockout as at sign-in), the new one follows the password policy and differs from it. Every other session of theirs ends (whoever knew the
 * old password is signed out), and an administrator's first password stops being required to change.
 */
export async function changeStaffPassword(
  db: Db,
  staff: StaffActor & { sessionId: string },
  input: { current: string; next: string; repeat: string },
  now = new Date(),
): Promise<Result<true, StaffPasswordProblems>> {
  const [user] = await db
    .select({ passwordHash: staffUsers.passwordHash, email: staffUsers.email })
    .from(staffUsers)
    .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, staff.staffId)));
  if (!user) throw new Error(`staff ${staff.staffId} is gone`);
  const problems: StaffPasswordProblems = {};
  const attempt = await passwordAttempt(db, {
    subject: throttleKey.staff(staff.staffId),
    ip: staff.ip,
    passwordHash: user.passwordHash,
    password: input.current,
    now,
    record: (succeeded) =>
      db.insert(loginAttempts).values({
        operatorId: staff.operatorId,
        subject: 'staff',
        staffId: staff.staffId,
        identifierHash: sha256(`${staff.operatorId}:staff:${user.email.toLowerCase()}`),
        ip: staff.ip,
        succeeded,
        createdAt: now,
      }),
  });
  if (!attempt.ok) problems.current = attempt.error === 'auth.invalid' ? 'staff.password.current_wrong' : attempt.error;
  const policy = passwordProblem(input.next, []);
  if (policy) problems.next = policy;
  else if (input.next === input.current) problems.next = 'staff.password.same';
  if (input.repeat !== input.next) problems.repeat = 'staff.password.mismatch';
  if (Object.keys(problems).length > 0) return err(problems);
  const passwordHash = await hash(input.next);
  await db.transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ passwordHash, passwordChangeRequired: false })
      .where(eq(staffUsers.id, staff.staffId));
    await tx
      .delete(sessions)
      .where(and(eq(sessions.staffId, staff.staffId), eq(sessions.subject, 'staff'), ne(sessions.id, staff.sessionId)));
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'staff.password_changed',
        targetKind: 'staff',
        targetId: staff.staffId,
        ip: staff.ip,
      },
      now,
    );
  });
  return ok(true);
}
