import { and, asc, type Column, desc, eq, gte, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { payments, replacementRequests, requestEvents } from '../../db/schema/requests.ts';
import { simChanges } from '../../db/schema/sim-changes.ts';
import { lines } from '../../db/schema/subscribers.ts';
import type { RequestStatus } from '../../domain/request-machine.ts';

/** A page of a list and where the next one starts, or null at the end. */
export type Page<T> = { items: T[]; next: { at: Date; id: string } | null };

/** The position after `row` in a list ordered newest first by (time, id). */
const after = (at: Column, id: Column, cursor: { at: Date; id: string }) =>
  or(lt(at, cursor.at), and(eq(at, cursor.at), lt(id, cursor.id)));

function paged<T extends { id: string }>(rows: T[], limit: number, atOf: (row: T) => Date): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { at: atOf(last), id: last.id } : null };
}

export type ApiRequest = typeof replacementRequests.$inferSelect & { msisdn: string };

/** The operator's requests, newest first, optionally of one status or one number. */
export async function listRequests(
  db: Db,
  operatorId: string,
  filter: { status?: RequestStatus; msisdn?: string; cursor?: { at: Date; id: string } | null; limit: number },
): Promise<Page<ApiRequest>> {
  const where = [eq(replacementRequests.operatorId, operatorId)];
  if (filter.status) where.push(eq(replacementRequests.status, filter.status));
  if (filter.msisdn) where.push(eq(lines.msisdn, filter.msisdn));
  if (filter.cursor) where.push(after(replacementRequests.createdAt, replacementRequests.id, filter.cursor) as SQL);
  const rows = await db
    .select({ request: replacementRequests, msisdn: lines.msisdn })
    .from(replacementRequests)
    .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
    .where(and(...where))
    .orderBy(desc(replacementRequests.createdAt), desc(replacementRequests.id))
    .limit(filter.limit + 1);
  return paged(
    rows.map((r) => ({ ...r.request, msisdn: r.msisdn })),
    filter.limit,
    (r) => r.createdAt,
  );
}

/** One of the operator's requests with its number; null when it is not the operator's. */
export async function requestOf(db: Db, operatorId: string, requestId: string): Promise<ApiRequest | null> {
  const [row] = await db
    .select({ request: replacementRequests, msisdn: lines.msisdn })
    .from(replacementRequests)
    .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
    .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.id, requestId)));
  return row ? { ...row.request, msisdn: row.msisdn } : null;
}

/** A request's timeline (oldest first) and payments (newest first). */
export async function requestHistory(db: Db, requestId: string) {
  const [events, paid] = await Promise.all([
    db.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(asc(requestEvents.id)),
    db.select().from(payments).where(eq(payments.requestId, requestId)).orderBy(desc(payments.createdAt)),
  ]);
  return { events, payments: paid };
}

/** The account and line of a number of the operator, or null. */
export async function lineByMsisdn(db: Db, operatorId: string, msisdn: string) {
  const [line] = await db
    .select({ id: lines.id, accountId: lines.accountId, status: lines.status })
    .from(lines)
    .where(and(eq(lines.operatorId, operatorId), eq(lines.msisdn, msisdn)));
  return line ?? null;
}

export type SimChange = typeof simChanges.$inferSelect;

/** SIM changes of the operator's numbers, newest first, of one number and since a moment when asked. */
export async function listSimChanges(
  db: Db,
  operatorId: string,
  filter: { msisdn?: string; since?: Date; cursor?: { at: Date; id: string } | null; limit: number },
): Promise<Page<SimChange>> {
  const where = [eq(simChanges.operatorId, operatorId)];
  if (filter.msisdn) where.push(eq(simChanges.msisdn, filter.msisdn));
  if (filter.since) where.push(gte(simChanges.changedAt, filter.since));
  if (filter.cursor) where.push(after(simChanges.changedAt, simChanges.id, filter.cursor) as SQL);
  const rows = await db
    .select()
    .from(simChanges)
    .where(and(...where))
    .orderBy(desc(simChanges.changedAt), desc(simChanges.id))
    .limit(filter.limit + 1);
  return paged(rows, filter.limit, (r) => r.changedAt);
}
