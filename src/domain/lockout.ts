/**
 * Progressive lockout after failed sign-ins: the first few failures are free, then each further
 * one doubles the wait, up to a day. Counted per typed identifier, so an unknown number behaves
 * exactly like a known one and the answer reveals nothing about who is a subscriber.
 */
export const FREE_FAILURES = 5;
const MAX_MINUTES = 24 * 60;

export function lockoutMinutes(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFailures - FREE_FAILURES), MAX_MINUTES);
}

/** When the identifier may try again, given its consecutive failures and the last one's time. */
export function lockedUntil(consecutiveFailures: number, lastFailureAt: Date): Date | null {
  const minutes = lockoutMinutes(consecutiveFailures);
  return minutes === 0 ? null : new Date(lastFailureAt.getTime() + minutes * 60_000);
}
