import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';

export type Pickup = {
  id: string;
  reference: string;
  msisdn: string;
  accountName: string;
  /** The last digits of the reserved card, to find it on the shelf. */
  iccidEnd: string | null;
  holdUntil: Date | null;
};

/**
 * Online requests waiting at a center for their subscriber, found by reference or number in any
 * format, or all of them; `centerId` null means every center (an administrator).
 */
export async function pickupsAt(
  db: Db,
  operatorId: string,
  centerId: string | null,
  search = '',
  requestId?: string,
): Promise<Pickup[]> {
  const r = replacementRequests;
  const where: SQL[] = [eq(r.operatorId, operatorId), eq(r.status, 'ready_for_pickup')];
  if (centerId) where.push(eq(r.centerId, centerId));
  if (requestId) where.push(eq(r.id, requestId));
  const wanted = search.trim();
  if (wanted) {
    const msisdn = parseMsisdn(wanted);
    where.push(msisdn.ok ? eq(lines.msisdn, msisdn.value) : eq(r.reference, wanted.toUpperCase()));
  }
  const rows = await db
    .select({
      id: r.id,
      reference: r.reference,
      msisdn: lines.msisdn,
      accountName: accounts.fullName,
      iccid: sims.iccid,
      holdUntil: r.holdUntil,
    })
    .from(r)
    .innerJoin(lines, eq(lines.id, r.lineId))
    .innerJoin(accounts, eq(accounts.id, r.accountId))
    .leftJoin(sims, eq(sims.id, r.simId))
    .where(and(...where))
    .orderBy(asc(r.updatedAt))
    .limit(100);
  return rows.map(({ iccid, ...row }) => ({ ...row, iccidEnd: iccid ? iccid.slice(-5) : null }));
}
