import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { lockoutSchedule, type ThrottlePolicy } from '../../domain/lockout.ts';
import { sha256 } from './tokens.ts';

/** What failures are counted against. */
export const throttleKey = {
  account: (accountId: string) => `account:${accountId}`,
  staff: (staffId: string) => `staff:${staffId}`,
  /** A staff member's sign-ins from every address together: only slowed down, never locked for long. */
  staffAnywhere: (staffId: string) => `staff:${staffId}:anywhere`,
  /** A staff member's sign-in from one address: where the hard lock is, so a stranger locks only themself. */
  staffAt: (staffId: string, ip: string) => `staff:${staffId}:at:${ip}`,
  /** Wrong authenticator codes for a member from one address (only someone with the password gets there). */
  totpAt: (staffId: string, ip: string) => `totp:${staffId}:at:${ip}`,
  /** A number nobody owns, counted like an account so the answer tells nothing. */
  number: (operatorId: string, identifier: string) => `number:${sha256(`${operatorId}:${identifier}`)}`,
  address: (ip: string) => `address:${ip}`,
};

export type Claim = { allowed: true; failures: number } | { allowed: false; until: Date };

/**
 * Counts an attempt as a failure before the secret is checked, and refuses it while `key` is
 * locked. Counting, the lock it may start, and the check happen in one statement, so parallel
 * attempts are counted one after another and none slips past a lock. A refused attempt is not
 * counted, so it never extends the lock. The caller forgives the attempt when it succeeds.
 */
export async function claimAttempt(db: Db | Tx, key: string, policy: ThrottlePolicy, now: Date): Promise<Claim> {
  const schedule = lockoutSchedule(policy);
  const minutes = (failures: SQL) =>
    sql`(${`{${schedule.join(',')}}`}::int[])[least(${failures}, ${schedule.length}::int)]`;
  const lockFor = (failures: SQL) =>
    sql`case when ${minutes(failures)} > 0 then ${now}::timestamptz + ${minutes(failures)} * interval '1 minute' end`;
  const counted = sql`case when login_throttle.last_failure_at < ${now}::timestamptz - ${policy.windowMinutes}::int * interval '1 minute'
    then 1 else login_throttle.failures + 1 end`;
  const rows = await rowsOf<{ failures: number }>(
    db,
    sql`insert into login_throttle (key, failures, locked_until, last_failure_at)
      values (${key}, 1, ${lockFor(sql`1`)}, ${now})
      on conflict (key) do update set failures = ${counted}, locked_until = ${lockFor(counted)}, last_failure_at = ${now}
      where login_throttle.locked_until is null or login_throttle.locked_until <= ${now}
      returning failures`,
  );
  const [claimed] = rows;
  if (claimed) return { allowed: true, failures: claimed.failures };
  const [locked] = await rowsOf<{ until: string }>(
    db,
    sql`select locked_until as until from login_throttle where key = ${key}`,
  );
  return { allowed: false, until: new Date(locked?.until ?? now) };
}

/** Everything counted against a staff member's sign-in, from every address: an administrator's unlock. */
export async function forgiveStaff(db: Db | Tx, staffId: string): Promise<number> {
  const rows = await rowsOf<{ key: string }>(
    db,
    sql`delete from login_throttle where key = ${`staff:${staffId}`} or key like ${`staff:${staffId}:%`}
      or key like ${`totp:${staffId}:at:%`} returning key`,
  );
  return rows.length;
}

/** A success: everything counted against `key` is forgiven (a sign-in, a password reset). */
export async function forgiveAll(db: Db | Tx, key: string): Promise<void> {
  await db.execute(sql`delete from login_throttle where key = ${key}`);
}

/**
 * A success counted against a shared key (an address many people use): only this attempt's
 * own count is taken back, and its lock if it no longer reaches the policy's.
 */
export async function forgiveOne(db: Db | Tx, key: string, policy: ThrottlePolicy): Promise<void> {
  await db.execute(sql`update login_throttle set failures = greatest(failures - 1, 0),
      locked_until = case when failures - 1 < ${policy.free} then null else locked_until end
    where key = ${key}`);
}

const rowsOf = async <T>(db: Db | Tx, query: ReturnType<typeof sql>): Promise<T[]> =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;
