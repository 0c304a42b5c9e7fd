import { verify } from '@node-rs/argon2';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loginAttempts, sessions } from '../../db/schema/security.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import { ACCOUNT_POLICY } from '../../domain/lockout.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { claimAttempt, forgiveAll, throttleKey } from './throttle.ts';
import { sha256 } from './tokens.ts';

/**
 * The signed-in subscriber types the password again before a sensitive step (unblocking a SIM,
 * showing an eSIM code). Failures count towards the same lockout as sign-in.
 */
export async function reauthenticate(
  db: Db,
  input: { operatorId: string; accountId: string; sessionId: string; password: string; ip: string; now?: Date },
): Promise<Result<null, 'auth.invalid' | 'auth.locked'>> {
  const now = input.now ?? new Date();
  const [account] = await db
    .select({ passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(and(eq(accounts.operatorId, input.operatorId), eq(accounts.id, input.accountId)));
  if (!account?.passwordHash) return err('auth.invalid');
  const key = throttleKey.account(input.accountId);
  if (!(await claimAttempt(db, key, ACCOUNT_POLICY, now)).allowed) return err('auth.locked');
  const matches = await verify(account.passwordHash, input.password).catch(() => false);
  await db.insert(loginAttempts).values({
    operatorId: input.operatorId,
    subject: 'subscriber',
    accountId: input.accountId,
    identifierHash: sha256(`${input.operatorId}:account:${input.accountId}`),
    ip: input.ip,
    succeeded: matches,
    createdAt: now,
  });
  if (!matches) return err('auth.invalid');
  await forgiveAll(db, key);
  await db.update(sessions).set({ reauthenticatedAt: now }).where(eq(sessions.id, input.sessionId));
  return ok(null);
}
