import { hash, verify } from '@node-rs/argon2';
import { and, count, desc, eq, gt, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Locale } from '../../db/schema/columns.ts';
import { loginAttempts } from '../../db/schema/security.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { lockedUntil } from '../../domain/lockout.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { sha256 } from './tokens.ts';

export type SignInError = 'auth.invalid' | 'auth.locked' | 'auth.rate_limited';

/** Failed attempts from one address within the window before it must wait. */
const IP_WINDOW_MINUTES = 15;
const IP_MAX_FAILURES = 30;

/** Verified when the number is unknown, so both answers take the same time. */
const decoyHash = hash('simdesk-decoy-password');

export type SignInInput = { operatorId: string; phone: string; password: string; ip: string; now?: Date };

/**
 * Phone number (of any of the account's lines, in any common format) and password. The same
 * answer, after the same work, whether or not the number exists; every attempt is recorded.
 */
export async function signIn(
  db: Db,
  input: SignInInput,
): Promise<Result<{ accountId: string; locale: Locale }, SignInError>> {
  const now = input.now ?? new Date();
  const parsed = parseMsisdn(input.phone);
  const identifier = parsed.ok ? parsed.value : input.phone.replace(/\s+/g, '');
  const identifierHash = sha256(`${input.operatorId}:${identifier}`);

  const windowStart = new Date(now.getTime() - IP_WINDOW_MINUTES * 60_000);
  const [fromIp] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.ip, input.ip), eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, windowStart)),
    );
  const recent = await db
    .select({ succeeded: loginAttempts.succeeded, at: loginAttempts.createdAt })
    .from(loginAttempts)
    .where(eq(loginAttempts.identifierHash, identifierHash))
    .orderBy(desc(loginAttempts.createdAt))
    .limit(50);
  const streak = recent.findIndex((a) => a.succeeded);
  const failures = streak === -1 ? recent.length : streak;
  const until = failures > 0 ? lockedUntil(failures, recent[0]!.at) : null;

  const [account] = parsed.ok
    ? await db
        .select({ id: accounts.id, passwordHash: accounts.passwordHash, locale: accounts.locale })
        .from(lines)
        .innerJoin(accounts, eq(accounts.id, lines.accountId))
        .where(
          and(eq(lines.operatorId, input.operatorId), eq(lines.msisdn, parsed.value), ne(lines.status, 'terminated')),
        )
    : [];

  const record = async (succeeded: boolean) => {
    await db.insert(loginAttempts).values({
      operatorId: input.operatorId,
      subject: 'subscriber',
      accountId: account?.id ?? null,
      identifierHash,
      ip: input.ip,
      succeeded,
      createdAt: now,
    });
    if (account) {
      await db
        .update(accounts)
        .set(
          succeeded
            ? { failedLogins: 0, lockedUntil: null }
            : { failedLogins: failures + 1, lockedUntil: lockedUntil(failures + 1, now) },
        )
        .where(eq(accounts.id, account.id));
    }
  };

  if ((fromIp?.n ?? 0) >= IP_MAX_FAILURES) {
    await record(false);
    return err('auth.rate_limited');
  }
  if (until && until > now) {
    await record(false);
    return err('auth.locked');
  }
  const matches = await verify(account?.passwordHash ?? (await decoyHash), input.password).catch(() => false);
  if (!account?.passwordHash || !matches) {
    await record(false);
    return err('auth.invalid');
  }
  await record(true);
  return ok({ accountId: account.id, locale: account.locale });
}
