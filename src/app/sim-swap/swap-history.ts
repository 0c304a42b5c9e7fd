import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readModel } from '../../db/json-rows.ts';
import { type SwapHistory, swappedWithin } from '../../domain/sim-swap.ts';
import type { SwapIndex } from './swap-index.ts';

/**
 * A number's SIM change history in one call (`simswap_history`, migration 0016): its latest change
 * (made in simdesk or imported), when its current SIM was activated, and whether the operator
 * knows the number at all.
 */
export async function swapHistory(
  db: Db,
  operatorId: string,
  msisdn: string,
): Promise<SwapHistory & { known: boolean }> {
  const model = await readModel<{ latest: string | null; activated: string | null; line: boolean }>(
    db,
    sql`simswap_history(${operatorId}, ${msisdn})`,
  );
  const latestChange = model?.latest ? new Date(model.latest) : null;
  return {
    latestChange,
    activatedAt: model?.activated ? new Date(model.activated) : null,
    known: Boolean(model?.line) || latestChange !== null,
  };
}

/**
 * The history a bank's check answers from, as of the moment it asks: a change the index holds
 * inside the checked window is an answer at once ("swapped": the index never leads the database);
 * a change it holds outside the window, or the latest date, is an answer once the index is current
 * (see `SwapIndex.current`). A number a current index holds no change of has never been swapped:
 * what is left to read (whether the operator has the number, when its SIM was activated) decides
 * no swap and is read from the replica when there is one. Anything else (an index still building
 * or cut off from its notifications) is read from the primary along the (msisdn, changed_at) index.
 */
export async function currentSwapHistory(
  db: Db,
  index: SwapIndex,
  at: { operatorId: string; msisdn: string; hours?: number; now: Date; replica?: Db | null },
): Promise<SwapHistory & { known: boolean }> {
  const latestChange = index.latestChange(at.operatorId, at.msisdn);
  const held = latestChange ? { latestChange, activatedAt: null, known: true } : null;
  if (held && at.hours !== undefined && swappedWithin(held, at.hours, at.now)) return held;
  if ((held || at.replica) && (await index.current())) {
    const latest = index.latestChange(at.operatorId, at.msisdn);
    if (latest) return { latestChange: latest, activatedAt: null, known: true };
    if (at.replica) {
      const { activatedAt, known } = await swapHistory(at.replica, at.operatorId, at.msisdn);
      return { latestChange: null, activatedAt, known };
    }
  }
  return swapHistory(db, at.operatorId, at.msisdn);
}
