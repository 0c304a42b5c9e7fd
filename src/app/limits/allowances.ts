import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { allowances } from '../../db/schema/system.ts';

export type Allowance = { name: string; limit: number; windowMs: number };
export type Taken = { allowed: boolean; used: number; retryAt: Date };

/**
 * Takes one from an allowance shared by every instance: `limit` uses of `name` per fixed window
 * of `windowMs`. The count is one upsert that refuses past the limit, so parallel callers cannot
 * slip through; in the caller's transaction it is spent only if what it pays for commits.
 */
export async function takeAllowance(db: Db | Tx, allowance: Allowance, now = new Date()): Promise<Taken> {
  const start = now.getTime() - (now.getTime() % allowance.windowMs);
  const windowStart = new Date(start);
  const retryAt = new Date(start + allowance.windowMs);
  const [row] = await db
    .insert(allowances)
    .values({ name: allowance.name, windowStart, used: 1 })
    .onConflictDoUpdate({
      target: [allowances.name, allowances.windowStart],
      set: { used: sql`${allowances.used} + 1` },
      setWhere: lt(allowances.used, allowance.limit),
    })
    .returning({ used: allowances.used });
  return row ? { allowed: true, used: row.used, retryAt } : { allowed: false, used: allowance.limit, retryAt };
}

/** How much of the allowance the current window has used, without taking any. */
export async function allowanceUsed(db: Db | Tx, allowance: Allowance, now = new Date()): Promise<Taken> {
  const start = now.getTime() - (now.getTime() % allowance.windowMs);
  const [row] = await db
    .select({ used: allowances.used })
    .from(allowances)
    .where(and(eq(allowances.name, allowance.name), eq(allowances.windowStart, new Date(start))));
  const used = row?.used ?? 0;
  return { allowed: used < allowance.limit, used, retryAt: new Date(start + allowance.windowMs) };
}

/** Forgets windows that ended before `before` (the maintenance job). */
export async function dropSpentAllowances(db: Db, before: Date): Promise<void> {
  await db.delete(allowances).where(lt(allowances.windowStart, before));
}
