/**
 * Failed-attempt throttling, for sign-in and any other check of a secret. Each thing attempts
 * are counted against (an account, a staff member, an unknown number, an address) has a policy:
 * a few failures are free, then each further one locks it for longer, up to a cap, so a stranger
 * can keep nobody locked out for long. Attempts refused during a lock are not counted, so they
 * never extend it; failures older than the window are forgotten.
 */
export type ThrottlePolicy = {
  /** Failures allowed before the first lock. */
  free: number;
  /** Minutes of the first lock; each further failure doubles it. */
  firstLockMinutes: number;
  /** No lock is longer. */
  maxLockMinutes: number;
  /** A failure older than this no longer counts. */
  windowMinutes: number;
};

/** A subscriber or staff member: five tries, then 1, 2, 4… minutes, never more than an hour. */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, firstLockMinutes: 1, maxLockMinutes: 60, windowMinutes: 1440 };

/**
 * A staff member across every address: only a slow-down (at most five minutes), so that someone
 * who knows a member's e-mail cannot keep them out; the hard locks are per member and address.
 */
export const STAFF_WIDE_POLICY: ThrottlePolicy = {
  free: 30,
  firstLockMinutes: 1,
  maxLockMinutes: 5,
  windowMinutes: 60,
};

/**
 * One address: generous, since many people share one behind a mobile carrier's NAT, but enough
 * to stop one machine trying many numbers.
 */
export const ADDRESS_POLICY: ThrottlePolicy = {
  free: 30,
  firstLockMinutes: 15,
  maxLockMinutes: 15,
  windowMinutes: 15,
};

/** How long the failure number `failures` (counting from 1) locks, in minutes; 0 when still free. */
export function lockoutMinutes(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.firstLockMinutes * 2 ** Math.min(failures - policy.free, 30), policy.maxLockMinutes);
}

/**
 * The lock of every failure count from 1 to where it stops growing, for the database to apply
 * in the same statement that counts the failure (so parallel attempts cannot all slip through).
 */
export function lockoutSchedule(policy: ThrottlePolicy): number[] {
  const schedule: number[] = [];
  for (let n = 1; schedule.at(-1) !== policy.maxLockMinutes || n <= policy.free; n++)
    schedule.push(lockoutMinutes(policy, n));
  return schedule;
}
