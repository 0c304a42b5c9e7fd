/** Delay before retry number `attempt` (1-based): doubling from `baseMs`, capped, with up to 20% jitter. */
export function retryDelayMs(attempt: number, baseMs = 2_000, capMs = 15 * 60_000, random = Math.random): number {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs);
  return Math.round(delay * (1 + 0.2 * random()));
}
