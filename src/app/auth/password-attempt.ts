import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../db/client.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, type ThrottlePolicy } from '../../domain/lockout.ts';
import { claimAttempt, forgiveOne, throttleKey } from './throttle.ts';

/** Verified when nobody matched the identifier, so both answers take the same time. */
const decoyHash = hash('simdesk-decoy-password');

export type PasswordAttempt =
  | { ok: true }
  | { ok: false; error: 'auth.rate_limited' | 'auth.locked' }
  | { ok: false; error: 'auth.invalid'; failures: number };

/**
 * One password attempt under the lockout, for subscribers and staff alike: the client address
 * and the `subject` (who was named, or the unknown identifier) are claimed first, atomically;
 * the password is checked against `passwordHash`, or a decoy when nobody matched; every
 * attempt is recorded by `record`. A success forgives the address one failure; forgiving the
 * subject is the caller's decision (staff only after their second factor).
 */
export async function passwordAttempt(
  db: Db,
  input: {
    subject: string;
    /** Also counted, with its own policy (a staff member across every address); optional. */
    wide?: { key: string; policy: ThrottlePolicy };
    ip: string;
    passwordHash: string | null;
    password: string;
    now: Date;
    record: (succeeded: boolean) => Promise<unknown>;
  },
): Promise<PasswordAttempt> {
  const { subject, ip, now, record } = input;
  const address = await claimAttempt(db, throttleKey.address(ip), ADDRESS_POLICY, now);
  if (!address.allowed) {
    await record(false);
    return { ok: false, error: 'auth.rate_limited' };
  }
  const claim = await claimAttempt(db, subject, ACCOUNT_POLICY, now);
  const wide = claim.allowed && input.wide ? await claimAttempt(db, input.wide.key, input.wide.policy, now) : null;
  if (!claim.allowed || (wide && !wide.allowed)) {
    await record(false);
    return { ok: false, error: 'auth.locked' };
  }
  const matches = await verify(input.passwordHash ?? (await decoyHash), input.password).catch(() => false);
  if (!input.passwordHash || !matches) {
    await record(false);
    return { ok: false, error: 'auth.invalid', failures: claim.failures };
  }
  await forgiveOne(db, throttleKey.address(ip), ADDRESS_POLICY);
  await record(true);
  return { ok: true };
}
