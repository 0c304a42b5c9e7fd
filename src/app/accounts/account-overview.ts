import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import type { FormFactor } from '../../domain/replacement.ts';
import type { RequestStatus } from '../../domain/request-machine.ts';

export type LineOverview = {
  id: string;
  msisdn: string;
  kind: 'voice' | 'data';
  status: 'active' | 'blocked' | 'terminated';
  formFactor: FormFactor | null;
  lastSimChangeAt: Date | null;
};

export type RequestOverview = { id: string; reference: string; msisdn: string; status: RequestStatus };
export type AccountOverview = { fullName: string; lines: LineOverview[]; requests: RequestOverview[] };

/** The signed-in subscriber's own account: always scoped by operator and account id. */
export async function loadAccountOverview(
  db: Db,
  operatorId: string,
  accountId: string,
): Promise<AccountOverview | null> {
  const [account] = await db
    .select({ fullName: accounts.fullName })
    .from(accounts)
    .where(and(eq(accounts.operatorId, operatorId), eq(accounts.id, accountId)));
  if (!account) return null;
  const rows = await db
    .select({
      id: lines.id,
      msisdn: lines.msisdn,
      kind: lines.kind,
      status: lines.status,
      formFactor: sims.formFactor,
      lastSimChangeAt: lines.lastSimChangeAt,
    })
    .from(lines)
    .leftJoin(sims, and(eq(sims.lineId, lines.id), eq(sims.status, 'active')))
    .where(and(eq(lines.operatorId, operatorId), eq(lines.accountId, accountId)))
    .orderBy(desc(lines.kind), asc(lines.msisdn));
  const requests = await db
    .select({
      id: replacementRequests.id,
      reference: replacementRequests.reference,
      msisdn: lines.msisdn,
      status: replacementRequests.status,
    })
    .from(replacementRequests)
    .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
    .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.accountId, accountId)))
    .orderBy(desc(replacementRequests.createdAt));
  return { fullName: account.fullName, lines: rows, requests };
}
