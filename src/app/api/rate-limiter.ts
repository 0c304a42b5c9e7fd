import type { Database } from '../../db/client.ts';

/** Calls an instance takes from a client's shared allowance at a time: one database round trip per block. */
const BLOCKS_PER_WINDOW = 50;
const WINDOW_MS = 60_000;

type Window = {
  start: number;
  granted: number;
  used: number;
  sharedUsed: number;
  spent: boolean;
  asking?: Promise<void>;
};

/**
 * Calls per client per minute across every instance: the count lives in PostgreSQL (table
 * `allowances`), and each instance takes it in blocks of a fiftieth of the limit, serving the
 * calls of a block from memory. N instances together never allow more than the limit; a block an
 * instance holds unused when the minute ends is lost, so a client spread over many instances
 * may get a little less.
 */
export function rateLimiter(database: Database) {
  const windows = new Map<string, Window>();

  /** Adds up to a block to the window's shared count under the row's lock (the count before is read locked, so no grant is lost). */
  const grant = async (clientId: string, window: Window, perMinute: number) => {
    const block = Math.max(1, Math.ceil(perMinute / BLOCKS_PER_WINDOW));
    const name = `api-client:${clientId}`;
    const windowStart = new Date(window.start).toISOString();
    await database.raw.query(
      'insert into allowances (name, window_start, used) values ($1, $2, 0) on conflict do nothing',
      [name, windowStart],
    );
    const [row] = await database.raw.query<{ used: number; before: number }>(
      `update allowances a set used = least(b.before + $3, $4)
         from (select used as before from allowances where name = $1 and window_start = $2 for update) b
        where a.name = $1 and a.window_start = $2
        returning a.used, b.before`,
      [name, windowStart, block, perMinute],
    );
    const used = row?.used ?? perMinute;
    const added = Math.max(0, used - (row?.before ?? perMinute));
    window.granted += added;
    window.sharedUsed = used;
    if (added === 0) window.spent = true;
  };

  return {
    /** Takes one call from the client's allowance; what is left, when the window resets, and whether it was allowed. */
    async take(clientId: string, perMinute: number, now = Date.now()) {
      const start = now - (now % WINDOW_MS);
      let window = windows.get(clientId);
      if (!window || window.start !== start) {
        if (windows.size > 100_000) windows.clear();
        window = { start, granted: 0, used: 0, sharedUsed: 0, spent: false };
        windows.set(clientId, window);
      }
      while (window.used >= window.granted && !window.spent) {
        const current = window;
        current.asking ??= grant(clientId, current, perMinute).finally(() => {
          current.asking = undefined;
        });
        await current.asking;
      }
      const allowed = window.used < window.granted;
      if (allowed) window.used += 1;
      const remaining = perMinute - window.sharedUsed + (window.granted - window.used);
      return { allowed, remaining, resetSeconds: Math.ceil((start + WINDOW_MS - now) / 1000) };
    },
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;
