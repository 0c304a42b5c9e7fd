import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { ok, type Result } from '../domain/result.ts';

class Refusal extends Error {
  constructor(readonly answer: unknown) {
    super('rolled back');
  }
}

/**
 * A use case's transaction: it commits only when the use case answers ok. An error answer rolls
 * back everything written before it (a SIM reserved, a shipment recorded), so no step can leave
 * half its writes behind by returning an error after writing.
 */
export async function transact<R extends Result<unknown, unknown>>(db: Db, work: (tx: Tx) => Promise<R>): Promise<R> {
  try {
    return await db.transaction(async (tx) => {
      const answer = await work(tx);
      if (!answer.ok) throw new Refusal(answer);
      return answer;
    });
  } catch (error) {
    if (error instanceof Refusal) return error.answer as R;
    throw error;
  }
}

/** Runs a use case in a transaction that is always rolled back: what it would answer, with nothing written. */
export async function rehearse<R>(db: Db, work: (tx: Tx) => Promise<R>): Promise<R> {
  try {
    await db.transaction(async (tx) => {
      throw new Refusal(await work(tx));
    });
  } catch (error) {
    if (error instanceof Refusal) return error.answer as R;
    throw error;
  }
  throw new Error('unreachable: a rehearsal always rolls back');
}

/**
 * Serialises the transactions that name the same thing until they end (an advisory lock on the
 * name), so a limit counted inside them holds under parallel requests: the second one counts
 * after the first has written.
 */
export async function serializeOn(tx: Tx, name: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
}

/**
 * A use case whose refusal must leave some writes behind (an attempt counted, a refusal
 * audited): `keep` runs first and stays, whatever `work` answers; `work` runs in a savepoint and
 * a refusal rolls back only what it wrote, after which `refused` may write what the refusal
 * leaves (its audit, a count of failures) in the same transaction. The locks `keep` takes are held
 * until the end, so two attempts at once are counted one after the other. A refusal of `keep`
 * rolls back everything.
 */
export async function transactKeeping<K, R extends Result<unknown, unknown>>(
  db: Db,
  keep: (tx: Tx) => Promise<Result<K, unknown>>,
  work: (tx: Tx, kept: K) => Promise<R>,
  refused?: (tx: Tx, kept: K, answer: R) => Promise<void>,
): Promise<R> {
  try {
    return await db.transaction(async (tx) => {
      const kept = await keep(tx);
      if (!kept.ok) throw new Refusal(kept);
      try {
        return await tx.transaction(async (savepoint) => {
          const answer = await work(savepoint, kept.value);
          if (!answer.ok) throw new Refusal(answer);
          return answer;
        });
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        await refused?.(tx, kept.value, error.answer as R);
        return error.answer as R;
      }
    });
  } catch (error) {
    if (error instanceof Refusal) return error.answer as R;
    throw error;
  }
}

/**
 * A transaction runner (like `transact`) whose refusals may leave a record: `refused` writes it
 * (an audit of a wrong document, say) in the same transaction, after the refusal's other writes
 * were rolled back.
 */
export const recordingRefusals =
  (refused: (tx: Tx, answer: Result<unknown, unknown>) => Promise<void>) =>
  <R extends Result<unknown, unknown>>(db: Db, work: (tx: Tx) => Promise<R>): Promise<R> =>
    transactKeeping(
      db,
      async () => ok(null),
      (tx) => work(tx),
      (tx, _kept, answer) => refused(tx, answer),
    );
