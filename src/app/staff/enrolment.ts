import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import type { Locale } from '../../db/schema/columns.ts';
import { staffEnrolments, staffUsers } from '../../db/schema/staff.ts';
import { type PasswordProblem, passwordProblem } from '../../domain/password-policy.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { translator } from '../../i18n/translate.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { newToken, sha256 } from '../auth/tokens.ts';
import type { Links, OperatorAddress } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';

/** How long an enrolment link works: long enough for a weekend, short enough not to lie around. */
export const ENROLMENT_HOURS = 72;

export type EnrolmentProblems = { next?: PasswordProblem; repeat?: 'staff.password.mismatch' };
type Operator = OperatorAddress & { id: string; name: Record<string, string> };

/** A password nobody knows, for a member who has not enrolled yet: no password opens the account until then. */
export const unknownPassword = () => hash(randomBytes(32).toString('base64url'));

/**
 * Gives a member a one-time link to set their own password, e-mailed to them through the
 * outbox; the link is returned for whoever created the member to hand over where no mail runs yet.
 */
export async function issueEnrolment(
  tx: Tx,
  links: Links,
  operator: Operator,
  member: { id: string; email: string; fullName: string },
  locale: Locale,
  now = new Date(),
): Promise<string> {
  const token = newToken();
  await tx.insert(staffEnrolments).values({
    tokenHash: sha256(token),
    operatorId: operator.id,
    staffId: member.id,
    expiresAt: new Date(now.getTime() + ENROLMENT_HOURS * 3_600_000),
    createdAt: now,
  });
  const link = `${links.base(operator)}/staff/enrol/${token}`;
  const t = translator(locale);
  const name = operator.name[locale] ?? operator.name.en ?? '';
  await enqueue(tx, {
    operatorId: operator.id,
    topic: 'email.send',
    payload: {
      to: member.email,
      subject: t('email.enrol.subject', { operator: name }),
      text: t('email.enrol.body', { name: member.fullName, operator: name, link, hours: ENROLMENT_HOURS }),
    },
    idempotencyKey: `staff-enrolment:${sha256(token)}`,
  });
  return link;
}

const usable = (operatorId: string, token: string, now: Date) =>
  and(
    eq(staffEnrolments.operatorId, operatorId),
    eq(staffEnrolments.tokenHash, sha256(token)),
    isNull(staffEnrolments.usedAt),
    gt(staffEnrolments.expiresAt, now),
  );

/** The member an unused, unexpired link of this operator is for; null for any other link. */
export async function openEnrolment(db: Db, operatorId: string, token: string, now = new Date()) {
  const [row] = await db
    .select({ staffId: staffUsers.id, email: staffUsers.email, fullName: staffUsers.fullName })
    .from(staffEnrolments)
    .innerJoin(staffUsers, eq(staffUsers.id, staffEnrolments.staffId))
    .where(and(usable(operatorId, token, now), eq(staffUsers.active, true)));
  return row ?? null;
}

/**
 * Sets the member's own password from their link, which then stops working (as does every other
 * link of theirs); the authenticator is set up at the sign-in that follows. Null when the link
 * is used, expired or unknown.
 */
export async function completeEnrolment(
  db: Db,
  operatorId: string,
  token: string,
  input: { next: string; repeat: string; ip: string },
  now = new Date(),
): Promise<Result<{ staffId: string; email: string }, EnrolmentProblems> | null> {
  const problems: EnrolmentProblems = {};
  const policy = passwordProblem(input.next, []);
  if (policy) problems.next = policy;
  if (input.repeat !== input.next) problems.repeat = 'staff.password.mismatch';
  const passwordHash = Object.keys(problems).length === 0 ? await hash(input.next) : null;
  return db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(staffEnrolments)
      .where(usable(operatorId, token, now))
      .for('update');
    if (!link) return null;
    if (!passwordHash) return err(problems);
    const [member] = await tx
      .update(staffUsers)
      .set({ passwordHash, passwordChangeRequired: false })
      .where(and(eq(staffUsers.operatorId, operatorId), eq(staffUsers.id, link.staffId), eq(staffUsers.active, true)))
      .returning({ email: staffUsers.email });
    if (!member) return null;
    await tx
      .update(staffEnrolments)
      .set({ usedAt: now })
      .where(and(eq(staffEnrolments.staffId, link.staffId), isNull(staffEnrolments.usedAt)));
    await appendAudit(
      tx,
      {
        operatorId,
        actorKind: 'staff',
        actorId: link.staffId,
        action: 'staff.enrolled',
        targetKind: 'staff',
        targetId: link.staffId,
        ip: input.ip,
      },
      now,
    );
    return ok({ staffId: link.staffId, email: member.email });
  });
}
