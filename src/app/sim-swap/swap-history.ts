import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { SwapHistory } from '../../domain/sim-swap.ts';

/**
 * A number's SIM change history in one round trip: its latest change (made in simdesk or
 * imported), when its current SIM was activated, and whether the operator knows the number.
 */
export async function swapHistory(
  db: Db,
  operatorId: string,
  msisdn: string,
): Promise<(SwapHistory & { known: boolean }) | null> {
  const result = await db.execute<{ latest: string | Date | null; activated: string | Date | null; line: boolean }>(sql`
    select (select max(changed_at) from sim_changes where msisdn = ${msisdn} and operator_id = ${operatorId}) as latest,
           (select s.activated_at from lines l join sims s on s.line_id = l.id and s.status = 'active'
             where l.operator_id = ${operatorId} and l.msisdn = ${msisdn} limit 1) as activated,
           exists (select 1 from lines where operator_id = ${operatorId} and msisdn = ${msisdn} and status <> 'terminated') as line`);
  const [row] = (
    result as unknown as { rows: { latest: string | Date | null; activated: string | Date | null; line: boolean }[] }
  ).rows;
  if (!row) return null;
  const latestChange = row.latest === null ? null : new Date(row.latest);
  return {
    latestChange,
    activatedAt: row.activated === null ? null : new Date(row.activated),
    known: row.line || latestChange !== null,
  };
}
