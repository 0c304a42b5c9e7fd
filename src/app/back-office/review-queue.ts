import { and, asc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { identityDocuments, replacementRequests, requestEvents } from '../../db/schema/requests.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import type { Channel, Delivery, Reason } from '../../domain/replacement.ts';
import type { RiskSignal } from '../../domain/risk.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Vault } from '../documents/identity-document.ts';
import type { TimelineEvent } from '../requests/request-status.ts';
import type { StaffActor } from '../requests/staff-step.ts';
import { openBytes, openSecret } from '../secret-box.ts';

/** Requests a reviewer decides: the first review, and the second of a high-risk one. */
export const AWAITING_REVIEW = ['in_review', 'second_review'] as const;

export type QueueFilters = {
  reason?: Reason;
  channel?: Channel;
  delivery?: Delivery;
  risk?: 'high' | 'normal';
  /** Only requests waiting at least this many hours. */
  olderThanHours?: number;
  /** The next page: requests after this one in the queue's order. */
  after?: QueueCursor;
};

/** A place in the queue (oldest first): the last request of the page before. */
export type QueueCursor = { submittedAt: Date; id: string };

/** Requests on one page of the queue: enough to work through, small enough to stay fast with a long queue. */
export const QUEUE_PAGE = 50;

export type QueueRow = {
  id: string;
  reference: string;
  status: (typeof AWAITING_REVIEW)[number];
  msisdn: string;
  reason: Reason | null;
  channel: Channel;
  delivery: Delivery | null;
  riskScore: number;
  highRisk: boolean;
  submittedAt: Date | null;
};

/** The operator's requests waiting for a reviewer, oldest first, with their risk. */
export async function reviewQueue(
  db: Db,
  operatorId: string,
  filters: QueueFilters = {},
  now = new Date(),
): Promise<{ rows: QueueRow[]; threshold: number; next: QueueCursor | null }> {
  const [operator] = await db
    .select({ threshold: operators.fourEyesRiskThreshold })
    .from(operators)
    .where(eq(operators.id, operatorId));
  const threshold = operator?.threshold ?? 60;
  const r = replacementRequests;
  const where: SQL[] = [eq(r.operatorId, operatorId), inArray(r.status, [...AWAITING_REVIEW])];
  if (filters.reason) where.push(eq(r.reason, filters.reason));
  if (filters.channel) where.push(eq(r.channel, filters.channel));
  if (filters.delivery) where.push(eq(r.delivery, filters.delivery));
  if (filters.risk === 'high') where.push(gte(r.riskScore, threshold));
  if (filters.risk === 'normal') where.push(lte(r.riskScore, threshold - 1));
  if (filters.olderThanHours !== undefined)
    where.push(lte(r.submittedAt, new Date(now.getTime() - filters.olderThanHours * 3_600_000)));
  if (filters.after)
    where.push(
      sql`(${r.submittedAt}, ${r.id}) > (${filters.after.submittedAt.toISOString()}::timestamptz, ${filters.after.id}::uuid)`,
    );
  const found = await db
    .select({
      id: r.id,
      reference: r.reference,
      status: r.status,
      msisdn: lines.msisdn,
      reason: r.reason,
      channel: r.channel,
      delivery: r.delivery,
      riskScore: r.riskScore,
      submittedAt: r.submittedAt,
    })
    .from(r)
    .innerJoin(lines, eq(lines.id, r.lineId))
    .where(and(...where))
    .orderBy(asc(r.submittedAt), asc(r.id))
    .limit(QUEUE_PAGE + 1);
  const rows = found.slice(0, QUEUE_PAGE);
  const last = rows.at(-1);
  return {
    threshold,
    next: found.length > QUEUE_PAGE && last?.submittedAt ? { submittedAt: last.submittedAt, id: last.id } : null,
    rows: rows.map((row) => ({
      ...row,
      status: row.status as QueueRow['status'],
      highRisk: row.riskScore >= threshold,
    })),
  };
}

export type ReviewCase = {
  request: typeof replacementRequests.$inferSelect;
  accountName: string;
  accountEmail: string | null;
  msisdn: string;
  signals: RiskSignal[];
  threshold: number;
  document: { id: string; docType: string; docNumber: string; hasScan: boolean } | null;
  events: TimelineEvent[];
};

/** Everything a reviewer reads before deciding; the document number is decrypted, the scan is fetched separately. */
export async function reviewCase(
  db: Db,
  vault: Pick<Vault, 'key'>,
  operatorId: string,
  requestId: string,
): Promise<ReviewCase | null> {
  const [found] = await db
    .select({
      request: replacementRequests,
      accountName: accounts.fullName,
      accountEmail: accounts.email,
      msisdn: lines.msisdn,
      threshold: operators.fourEyesRiskThreshold,
    })
    .from(replacementRequests)
    .innerJoin(accounts, eq(accounts.id, replacementRequests.accountId))
    .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
    .innerJoin(operators, eq(operators.id, replacementRequests.operatorId))
    .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.id, requestId)));
  if (!found || found.request.status === 'draft') return null;
  const [document] = await db
    .select()
    .from(identityDocuments)
    .where(and(eq(identityDocuments.operatorId, operatorId), eq(identityDocuments.requestId, requestId)));
  const events = await db
    .select()
    .from(requestEvents)
    .where(and(eq(requestEvents.operatorId, operatorId), eq(requestEvents.requestId, requestId)))
    .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id));
  return {
    request: found.request,
    accountName: found.accountName,
    accountEmail: found.accountEmail,
    msisdn: found.msisdn,
    signals: found.request.riskSignals as RiskSignal[],
    threshold: found.threshold,
    document:
      document && !document.purgedAt
        ? {
            id: document.id,
            docType: document.docType,
            docNumber: openSecret(vault.key, document.numberEncrypted, document.id),
            hasScan: document.storageKey !== null,
          }
        : null,
    events,
  };
}

/**
 * The scan of a request's identity document for a staff member of its operator, decrypted in
 * memory only; every view is written to the audit log.
 */
export async function viewIdentityScan(
  db: Db,
  vault: Pick<Vault, 'key' | 'storage'>,
  staff: StaffActor,
  requestId: string,
  now = new Date(),
): Promise<{ contentType: string; content: Buffer } | null> {
  const [document] = await db
    .select()
    .from(identityDocuments)
    .where(and(eq(identityDocuments.operatorId, staff.operatorId), eq(identityDocuments.requestId, requestId)));
  if (!document?.storageKey || !document.contentType || document.purgedAt) return null;
  const content = openBytes(vault.key, await vault.storage.get(document.storageKey), document.id);
  await db.transaction((tx) =>
    appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'document.viewed',
        targetKind: 'identity_document',
        targetId: document.id,
        ip: staff.ip,
        data: { requestId },
      },
      now,
    ),
  );
  return { contentType: document.contentType, content };
}
