/**
 * Calls per client per minute on this instance, in fixed one-minute windows kept in memory, so a
 * call costs no database work. Several instances each allow the limit: the operator sets it with
 * the number of instances in mind.
 */
export function rateLimiter() {
  const windows = new Map<string, { start: number; used: number }>();
  return {
    /** Takes one call from the client's allowance; what is left, when the window resets, and whether it was allowed. */
    take(clientId: string, perMinute: number, now = Date.now()) {
      const start = now - (now % 60_000);
      let window = windows.get(clientId);
      if (!window || window.start !== start) {
        if (windows.size > 100_000) windows.clear();
        window = { start, used: 0 };
        windows.set(clientId, window);
      }
      const allowed = window.used < perMinute;
      if (allowed) window.used += 1;
      return { allowed, remaining: perMinute - window.used, resetSeconds: Math.ceil((start + 60_000 - now) / 1000) };
    },
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;
