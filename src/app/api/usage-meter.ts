import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiUsage } from '../../db/schema/api.ts';

type Key = { operatorId: string; clientId: string; day: string; endpoint: string };

/**
 * Counts API calls per client, endpoint and day for billing. Counting in memory and adding the
 * counts to the database every few seconds keeps the call itself free of a write; a crash loses
 * at most the seconds since the last flush.
 */
export function usageMeter(db: Db, everyMs = 5_000) {
  let counts = new Map<string, { key: Key; calls: number }>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    if (counts.size === 0) return;
    const batch = counts;
    counts = new Map();
    try {
      await db
        .insert(apiUsage)
        .values([...batch.values()].map(({ key, calls }) => ({ ...key, calls })))
        .onConflictDoUpdate({
          target: [apiUsage.clientId, apiUsage.day, apiUsage.endpoint],
          set: { calls: sql`${apiUsage.calls} + excluded.calls` },
        });
    } catch (error) {
      // Kept for the next flush: counts are lost only if the process ends before one succeeds.
      for (const [id, entry] of batch) {
        const current = counts.get(id);
        if (current) current.calls += entry.calls;
        else counts.set(id, entry);
      }
      throw error;
    }
  };

  return {
    record(operatorId: string, clientId: string, endpoint: string, now = new Date()) {
      const key = { operatorId, clientId, day: now.toISOString().slice(0, 10), endpoint };
      const id = `${clientId}|${key.day}|${endpoint}`;
      const entry = counts.get(id);
      if (entry) entry.calls += 1;
      else counts.set(id, { key, calls: 1 });
      if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          void flush().catch(() => {});
        }, everyMs);
        timer.unref();
      }
    },
    flush,
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await flush();
    },
  };
}

export type UsageMeter = ReturnType<typeof usageMeter>;
