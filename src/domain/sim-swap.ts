import { err, ok, type Result } from './result.ts';

/**
 * The answers of the CAMARA SIM Swap API (2.1.0) from a number's SIM change history, with the
 * operator's monitoring period: how far back it keeps that history (null: for ever).
 */

/** What is known of one number: its latest SIM change, and when its current SIM first worked. */
export type SwapHistory = { latestChange: Date | null; activatedAt: Date | null };

export const MAX_AGE_DEFAULT = 240;
export const MAX_AGE_LIMIT = 2400;

export type MaxAgeError = { code: 'OUT_OF_RANGE'; monitoredDays: number | null };

/** `maxAge` in hours: 1 to 2400 (default 240), and no further back than the operator keeps history. */
export function checkedHours(maxAge: number | undefined, monitoredDays: number | null): Result<number, MaxAgeError> {
  const hours = maxAge ?? MAX_AGE_DEFAULT;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_AGE_LIMIT)
    return err({ code: 'OUT_OF_RANGE', monitoredDays: null });
  if (monitoredDays !== null && hours > monitoredDays * 24) return err({ code: 'OUT_OF_RANGE', monitoredDays });
  return ok(hours);
}

/** Whether the SIM was swapped within the last `hours`. */
export const swappedWithin = (history: SwapHistory, hours: number, now: Date): boolean =>
  history.latestChange !== null && history.latestChange.getTime() > now.getTime() - hours * 3_600_000;

export type SwapDate = { latestSimChange: Date | null; monitoredPeriod?: number };

/**
 * The latest swap, when within the monitored period. Without a swap, an operator that keeps
 * history for ever answers with the activation of the current SIM; one that keeps it for a
 * period answers null with that period, meaning "no swap during it".
 */
export function latestSwap(history: SwapHistory, monitoredDays: number | null, now: Date): SwapDate {
  const since = monitoredDays === null ? null : now.getTime() - monitoredDays * 86_400_000;
  const change = history.latestChange;
  if (change && (since === null || change.getTime() >= since)) return { latestSimChange: change };
  if (monitoredDays !== null) return { latestSimChange: null, monitoredPeriod: monitoredDays };
  return { latestSimChange: change ?? history.activatedAt };
}
