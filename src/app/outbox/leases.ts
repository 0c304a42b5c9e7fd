import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { leases } from '../../db/schema/system.ts';

export class LeaseBusy extends Error {
  readonly retryable = true;
  constructor(name: string) {
    super(`${name} is held by another delivery; trying again`);
  }
}

async function take(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const until = new Date(Date.now() + ttlMs);
  const taken = await db
    .insert(leases)
    .values({ name, holder, until })
    .onConflictDoUpdate({ target: leases.name, set: { holder, until }, setWhere: lt(leases.until, sql`now()`) })
    .returning({ holder: leases.holder });
  return taken.length > 0;
}

/**
 * Runs `work` while holding the lease on `name`, across every instance on the database: a
 * second caller waits (polling) up to `waitMs`, then gives up with a retryable error. The holder
 * renews the lease while the work runs, so it can be short: when the holder's process dies, the
 * next caller takes over within `ttlMs` instead of waiting out a long lease.
 */
export async function withLease<T>(
  db: Db,
  name: string,
  work: () => Promise<T>,
  { ttlMs = 5_000, waitMs = 15_000, pollMs = 50 } = {},
): Promise<T> {
  const holder = randomUUID();
  const giveUpAt = Date.now() + waitMs;
  while (!(await take(db, name, holder, ttlMs))) {
    if (Date.now() >= giveUpAt) throw new LeaseBusy(name);
    await sleep(pollMs);
  }
  const renewal = setInterval(() => {
    db.update(leases)
      .set({ until: new Date(Date.now() + ttlMs) })
      .where(and(eq(leases.name, name), eq(leases.holder, holder)))
      .catch(() => {});
  }, ttlMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
  }
}

/**
 * Claims `name`'s turn for `ttlMs` across every instance and keeps it (it is not released when
 * the work ends): a timed job that claims its turn each time it is due runs once per period
 * however many instances tick, and if the instance running it dies, the next one due after the
 * turn has run out takes over.
 */
export function claimTurn(db: Db, name: string, ttlMs: number): Promise<boolean> {
  return take(db, name, randomUUID(), ttlMs);
}
