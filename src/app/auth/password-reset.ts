import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { and, count, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Locale } from '../../db/schema/columns.ts';
import { operators } from '../../db/schema/operators.ts';
import { passwordResetTokens, sessions } from '../../db/schema/security.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { type PasswordProblem, passwordProblem } from '../../domain/password-policy.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { translator } from '../../i18n/translate.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links, OperatorAddress } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';
import { serializeOn } from '../transact.ts';
import { consumeCode, isOwnLine, newCode, sendCode } from './one-time-codes.ts';
import { forgiveAll, throttleKey } from './throttle.ts';
import { newToken, sha256 } from './tokens.ts';

export const RESET_LINK_MINUTES = 30;
/** Links sent per account per hour; further requests get the same answer and send nothing. */
const MAX_LINKS_PER_HOUR = 3;

type OperatorRef = OperatorAddress & { id: string; name: Record<Locale, string> };

/** A forgotten-password request as the outbox carries it to the worker. */
export type ResetAsked = { operatorId: string; phone: string; channel: 'email' | 'sms'; ip: string; at: string };

/**
 * "Forgot password": the request is only written to the outbox, for known and unknown numbers
 * alike, and the person gets the same answer at once. Looking the number up and sending happen
 * in the worker, so neither the answer nor the time it takes tells who is a subscriber.
 */
export async function askPasswordReset(
  db: Db,
  input: { operatorId: string; phone: string; channel: 'email' | 'sms'; ip: string; now?: Date },
): Promise<void> {
  const { now = new Date(), ...asked } = input;
  await db.transaction((tx) =>
    enqueue(tx, {
      operatorId: input.operatorId,
      topic: 'password.reset',
      payload: { ...asked, at: now.toISOString() },
      idempotencyKey: `password-reset-asked:${randomUUID()}`,
    }),
  );
}

/** The worker's side of "Forgot password": a link by e-mail or a code to the second phone, if the number has one. */
export async function sendPasswordReset(db: Db, links: Links, asked: ResetAsked): Promise<void> {
  const [operator] = await db
    .select({ id: operators.id, name: operators.name, publicUrl: operators.publicUrl, hostnames: operators.hostnames })
    .from(operators)
    .where(eq(operators.id, asked.operatorId));
  if (!operator) return;
  const input = { operator, phone: asked.phone, ip: asked.ip, now: new Date(asked.at) };
  if (asked.channel === 'sms') await sendResetCode(db, input);
  else await sendResetLink(db, links, input);
}

/** A single-use link, valid for 30 minutes, to the account's e-mail; only the token's hash is stored. */
async function sendResetLink(
  db: Db,
  links: Links,
  input: { operator: OperatorRef; phone: string; ip: string; now: Date },
): Promise<void> {
  const { now } = input;
  const account = await accountByPhone(db, input.operator.id, input.phone);
  if (!account?.email) return;
  const email = account.email;
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const token = newToken();
  const t = translator(account.locale);
  const operator = input.operator.name[account.locale];
  await db.transaction(async (tx) => {
    // Counted inside the transaction that sends, one request of the account at a time (two
    // instances' workers may take two requests at once).
    await serializeOn(tx, `reset-links:${account.id}`);
    const [recent] = await tx
      .select({ n: count() })
      .from(passwordResetTokens)
      .where(and(eq(passwordResetTokens.accountId, account.id), gt(passwordResetTokens.createdAt, hourAgo)));
    if ((recent?.n ?? 0) >= MAX_LINKS_PER_HOUR) return;
    const [row] = await tx
      .insert(passwordResetTokens)
      .values({
        operatorId: input.operator.id,
        accountId: account.id,
        tokenHash: sha256(token),
        channel: 'email',
        expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
        ip: input.ip,
        createdAt: now,
      })
      .returning({ id: passwordResetTokens.id });
    await enqueue(tx, {
      operatorId: input.operator.id,
      topic: 'email.send',
      payload: {
        to: email,
        subject: t('email.reset.subject', { operator }),
        text: t('email.reset.body', {
          operator,
          link: `${links.base(input.operator)}/password/reset/${token}`,
          minutes: RESET_LINK_MINUTES,
        }),
      },
      idempotencyKey: `password-reset:${row!.id}`,
    });
  });
}

async function accountByPhone(db: Db, operatorId: string, phone: string) {
  const parsed = parseMsisdn(phone);
  if (!parsed.ok) return undefined;
  const [account] = await db
    .select({ id: accounts.id, email: accounts.email, secondPhone: accounts.secondPhone, locale: accounts.locale })
    .from(lines)
    .innerJoin(accounts, eq(accounts.id, lines.accountId))
    .where(and(eq(lines.operatorId, operatorId), eq(lines.msisdn, parsed.value), ne(lines.status, 'terminated')));
  return account;
}

/** A 6-digit code to the bound second phone, never to the line itself; the same limits as the link. */
async function sendResetCode(db: Db, input: { operator: OperatorRef; phone: string; now: Date }): Promise<void> {
  const { now } = input;
  const account = await accountByPhone(db, input.operator.id, input.phone);
  if (!account?.secondPhone || (await isOwnLine(db, account.id, account.secondPhone))) return;
  const secondPhone = account.secondPhone;
  const code = newCode();
  const t = translator(account.locale);
  const text = t('sms.reset', { operator: input.operator.name[account.locale], code, minutes: RESET_LINK_MINUTES });
  await db.transaction((tx) =>
    sendCode(tx, {
      operatorId: input.operator.id,
      accountId: account.id,
      perHour: MAX_LINKS_PER_HOUR,
      purpose: 'password_reset',
      channel: 'sms',
      destination: secondPhone,
      code,
      expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
      now,
      keyPrefix: 'password-reset-code',
      message: { subject: '', text },
    }),
  );
}

/**
 * Trades a correct SMS code for a reset link token (the same single-use, 30-minute kind the
 * e-mail carries). Every try counts; after five wrong ones the code is dead.
 */
export async function exchangeResetCode(
  db: Db,
  input: { operatorId: string; phone: string; code: string; ip: string; now?: Date },
): Promise<string | null> {
  const now = input.now ?? new Date();
  const account = await accountByPhone(db, input.operatorId, input.phone);
  if (!account) return null;
  return db.transaction(async (tx) => {
    const matches =
      (await consumeCode(tx, { accountId: account.id, purpose: 'password_reset', code: input.code, now })) !== null;
    if (!matches) return null;
    const token = newToken();
    await tx.insert(passwordResetTokens).values({
      operatorId: input.operatorId,
      accountId: account.id,
      tokenHash: sha256(token),
      channel: 'sms',
      expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
      ip: input.ip,
      createdAt: now,
    });
    return token;
  });
}

/** The account a reset link belongs to, while it is unused and unexpired. */
export async function validResetToken(
  db: Db,
  operatorId: string,
  token: string,
  now = new Date(),
): Promise<{ accountId: string } | null> {
  const [row] = await db
    .select({ accountId: passwordResetTokens.accountId })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.operatorId, operatorId),
        eq(passwordResetTokens.tokenHash, sha256(token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    );
  return row ?? null;
}

export type ResetError = 'reset.invalid' | PasswordProblem;

/**
 * Sets a new password from a reset link: the link is used up (with every other open link of the
 * account), all sessions end, failed-attempt lockout is cleared and the owner is told by e-mail.
 */
export async function resetPassword(
  db: Db,
  input: { operator: OperatorRef; token: string; password: string; ip: string; now?: Date },
): Promise<Result<null, ResetError>> {
  const now = input.now ?? new Date();
  const link = await validResetToken(db, input.operator.id, input.token, now);
  if (!link) return err('reset.invalid');
  const numbers = await db.select({ msisdn: lines.msisdn }).from(lines).where(eq(lines.accountId, link.accountId));
  const problem = passwordProblem(
    input.password,
    numbers.map((n) => n.msisdn),
  );
  if (problem) return err(problem);
  const passwordHash = await hash(input.password);
  return db.transaction(async (tx) => {
    const used = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.accountId, link.accountId), isNull(passwordResetTokens.usedAt)))
      .returning({ tokenHash: passwordResetTokens.tokenHash });
    if (!used.some((u) => u.tokenHash === sha256(input.token))) return err('reset.invalid' as const);
    const [account] = await tx
      .update(accounts)
      .set({ passwordHash, passwordChangedAt: now })
      .where(eq(accounts.id, link.accountId))
      .returning({ email: accounts.email, locale: accounts.locale });
    await tx.delete(sessions).where(eq(sessions.accountId, link.accountId));
    // Proof of the e-mail or the second phone ends a lockout too.
    await forgiveAll(tx, throttleKey.account(link.accountId));
    if (account?.email) {
      const t = translator(account.locale);
      const operator = input.operator.name[account.locale];
      await enqueue(tx, {
        operatorId: input.operator.id,
        topic: 'email.send',
        payload: {
          to: account.email,
          subject: t('email.passwordChanged.subject', { operator }),
          text: t('email.passwordChanged.body', { operator }),
        },
        idempotencyKey: `password-changed:${link.accountId}:${now.getTime()}`,
      });
    }
    await appendAudit(
      tx,
      {
        operatorId: input.operator.id,
        actorKind: 'subscriber',
        actorId: link.accountId,
        action: 'account.password_reset',
        targetKind: 'account',
        targetId: link.accountId,
        ip: input.ip,
      },
      now,
    );
    return ok(null);
  });
}
