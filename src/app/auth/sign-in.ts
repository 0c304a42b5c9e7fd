import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Locale } from '../../db/schema/columns.ts';
import { operators } from '../../db/schema/operators.ts';
import { loginAttempts } from '../../db/schema/security.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { ACCOUNT_POLICY } from '../../domain/lockout.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { formatDateTime, translator } from '../../i18n/translate.ts';
import { enqueue } from '../outbox/outbox.ts';
import { passwordAttempt } from './password-attempt.ts';
import { forgiveAll, throttleKey } from './throttle.ts';
import { sha256 } from './tokens.ts';

export type SignInError = 'auth.invalid' | 'auth.locked' | 'auth.rate_limited';

export type SignInInput = { operatorId: string; phone: string; password: string; ip: string; now?: Date };

/**
 * Phone number (of any of the account's lines, in any common format) and password. Failures are
 * counted per account (whichever of its numbers was typed) and per address, atomically; a
 * number nobody owns is counted and locked exactly like one somebody does, and costs the same
 * work, so the answer reveals nothing about who is a subscriber. Every attempt is recorded.
 */
export async function signIn(
  db: Db,
  input: SignInInput,
): Promise<Result<{ accountId: string; locale: Locale }, SignInError>> {
  const now = input.now ?? new Date();
  const parsed = parseMsisdn(input.phone);
  const identifier = parsed.ok ? parsed.value : input.phone.replace(/\s+/g, '');
  const [account] = parsed.ok
    ? await db
        .select({ id: accounts.id, passwordHash: accounts.passwordHash, locale: accounts.locale })
        .from(lines)
        .innerJoin(accounts, eq(accounts.id, lines.accountId))
        .where(
          and(eq(lines.operatorId, input.operatorId), eq(lines.msisdn, parsed.value), ne(lines.status, 'terminated')),
        )
    : [];
  const subject = account ? throttleKey.account(account.id) : throttleKey.number(input.operatorId, identifier);
  const record = (succeeded: boolean) =>
    db.insert(loginAttempts).values({
      operatorId: input.operatorId,
      subject: 'subscriber',
      accountId: account?.id ?? null,
      identifierHash: sha256(`${input.operatorId}:${identifier}`),
      ip: input.ip,
      succeeded,
      createdAt: now,
    });

  const attempt = await passwordAttempt(db, {
    subject,
    ip: input.ip,
    passwordHash: account?.passwordHash ?? null,
    password: input.password,
    now,
    record,
  });
  if (!attempt.ok) {
    if (account && attempt.error === 'auth.invalid' && attempt.failures === ACCOUNT_POLICY.free)
      await tellOwnerOfLock(db, input.operatorId, account.id, now);
    return err(attempt.error);
  }
  if (!account) return err('auth.invalid');
  await forgiveAll(db, subject);
  return ok({ accountId: account.id, locale: account.locale });
}

/** Repeated failures are a warning sign: the owner hears of the first lock, by e-mail. */
async function tellOwnerOfLock(db: Db, operatorId: string, accountId: string, now: Date) {
  const [row] = await db
    .select({ email: accounts.email, locale: accounts.locale, name: operators.name, timeZone: operators.timeZone })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .where(and(eq(accounts.operatorId, operatorId), eq(accounts.id, accountId)));
  if (!row?.email) return;
  const t = translator(row.locale);
  const values = { operator: row.name[row.locale], when: formatDateTime(row.locale, now, row.timeZone) };
  await db.transaction((tx) =>
    enqueue(tx, {
      operatorId,
      topic: 'email.send',
      payload: {
        to: row.email as string,
        subject: t('email.lockedOut.subject', values),
        text: t('email.lockedOut.body', values),
      },
      idempotencyKey: `locked-out:${accountId}:${now.getTime()}`,
    }),
  );
}
