import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readModel } from '../../db/json-rows.ts';
import type { SwapHistory } from '../../domain/sim-swap.ts';

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
