import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { parseIccid } from '../../domain/iccid.ts';
import type { SimStatus } from '../../domain/replacement.ts';

/** Cards or eSIM profiles at one place (a center, or the warehouse when `centerId` is null) in each status. */
/** Every center of the operator, open or not, as places stock can be kept and sent to. */
export const stockPlaces = (db: Db, operatorId: string) =>
  db
    .select({ id: serviceCenters.id, name: serviceCenters.name })
    .from(serviceCenters)
    .where(eq(serviceCenters.operatorId, operatorId))
    .orderBy(asc(serviceCenters.code));

export type StockLine = {
  centerId: string | null;
  kind: 'physical' | 'esim';
  counts: Partial<Record<SimStatus, number>>;
};

/** The operator's SIMs counted by place, kind and status. */
export async function stockOverview(db: Db, operatorId: string): Promise<StockLine[]> {
  const rows = await db
    .select({ centerId: sims.centerId, formFactor: sims.formFactor, status: sims.status, n: count() })
    .from(sims)
    .where(eq(sims.operatorId, operatorId))
    .groupBy(sims.centerId, sims.formFactor, sims.status);
  const lines = new Map<string, StockLine>();
  for (const row of rows) {
    const kind = row.formFactor === 'esim' ? 'esim' : 'physical';
    const key = `${row.centerId ?? 'warehouse'}:${kind}`;
    const line = lines.get(key) ?? { centerId: row.centerId, kind, counts: {} };
    line.counts[row.status] = (line.counts[row.status] ?? 0) + row.n;
    lines.set(key, line);
  }
  return [...lines.values()];
}

export type SimFound = {
  iccid: string;
  formFactor: string;
  status: SimStatus;
  center: Record<string, string> | null;
  msisdn: string | null;
  reference: string | null;
};

/** One SIM of this operator by its ICCID (typed in any spacing); null when it is not the operator's or not valid. */
export async function findSim(db: Db, operatorId: string, typed: string): Promise<SimFound | null> {
  const iccid = parseIccid(typed);
  if (!iccid.ok) return null;
  const [sim] = await db
    .select({
      id: sims.id,
      iccid: sims.iccid,
      formFactor: sims.formFactor,
      status: sims.status,
      center: serviceCenters.name,
      msisdn: lines.msisdn,
    })
    .from(sims)
    .leftJoin(serviceCenters, eq(serviceCenters.id, sims.centerId))
    .leftJoin(lines, eq(lines.id, sims.lineId))
    .where(and(eq(sims.operatorId, operatorId), eq(sims.iccid, iccid.value)));
  if (!sim) return null;
  const [request] = await db
    .select({ reference: replacementRequests.reference })
    .from(replacementRequests)
    .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.simId, sim.id)));
  const { id: _id, ...found } = sim;
  return { ...found, reference: request?.reference ?? null };
}
