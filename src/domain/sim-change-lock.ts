/**
 * The subscriber's SIM-change lock: while on, no SIM can be replaced online. Turning it on is
 * immediate; turning it off only schedules the release after the operator's waiting period, so
 * someone who has just broken into the account cannot unlock and swap at once.
 */
export type SimChangeLock = { on: boolean; releaseAt: Date | null };
export type SimChangeLockState = { state: 'off' } | { state: 'on' } | { state: 'releasing'; releaseAt: Date };

export function lockState(lock: SimChangeLock, now: Date): SimChangeLockState {
  if (!lock.on) return { state: 'off' };
  if (lock.releaseAt === null) return { state: 'on' };
  return lock.releaseAt > now ? { state: 'releasing', releaseAt: lock.releaseAt } : { state: 'off' };
}

export const isSimChangeLocked = (lock: SimChangeLock, now: Date) => lockState(lock, now).state !== 'off';

/** The stored lock after the subscriber asks for it on or off. */
export function requestLock(lock: SimChangeLock, wantOn: boolean, releaseHours: number, now: Date): SimChangeLock {
  if (wantOn) return { on: true, releaseAt: null };
  const current = lockState(lock, now);
  if (current.state === 'off') return { on: false, releaseAt: null };
  if (current.state === 'releasing') return lock;
  return { on: true, releaseAt: new Date(now.getTime() + releaseHours * 3_600_000) };
}
