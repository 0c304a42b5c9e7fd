import type { Db, Tx } from '../db/client.ts';
import type { Result } from '../domain/result.ts';

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
