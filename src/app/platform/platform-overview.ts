import { asc, count, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import type { LocalizedText } from '../../db/schema/columns.ts';
import { operators } from '../../db/schema/operators.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { staffUsers } from '../../db/schema/staff.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import { TERMINAL_STATUSES } from '../../domain/request-machine.ts';

export type OperatorSummary = {
  slug: string;
  name: LocalizedText;
  hostnames: string[];
  accounts: number;
  centers: number;
  staff: number;
  openRequests: number;
};

const countsBy = async (rows: Promise<{ operatorId: string; n: number }[]>) =>
  new Map((await rows).map((r) => [r.operatorId, r.n]));

/**
 * The deployment as the platform administrator sees it: every operator (brand) with its host
 * names and the size of its service. Counts only, never a subscriber's data.
 */
export async function platformOverview(db: Db): Promise<OperatorSummary[]> {
  const [all, accountCounts, centerCounts, staffCounts, openCounts] = await Promise.all([
    db.select().from(operators).orderBy(asc(operators.slug)),
    countsBy(db.select({ operatorId: accounts.operatorId, n: count() }).from(accounts).groupBy(accounts.operatorId)),
    countsBy(
      db
        .select({ operatorId: serviceCenters.operatorId, n: count() })
        .from(serviceCenters)
        .where(eq(serviceCenters.active, true))
        .groupBy(serviceCenters.operatorId),
    ),
    countsBy(
      db
        .select({ operatorId: staffUsers.operatorId, n: count() })
        .from(staffUsers)
        .where(eq(staffUsers.active, true))
        .groupBy(staffUsers.operatorId),
    ),
    countsBy(
      db
        .select({ operatorId: replacementRequests.operatorId, n: count() })
        .from(replacementRequests)
        .where(notInArray(replacementRequests.status, [...TERMINAL_STATUSES, 'draft']))
        .groupBy(replacementRequests.operatorId),
    ),
  ]);
  return all.map((o) => ({
    slug: o.slug,
    name: o.name,
    hostnames: o.hostnames,
    accounts: accountCounts.get(o.id) ?? 0,
    centers: centerCounts.get(o.id) ?? 0,
    staff: staffCounts.get(o.id) ?? 0,
    openRequests: openCounts.get(o.id) ?? 0,
  }));
}
