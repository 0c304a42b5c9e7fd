import { and, desc, eq, gte, inArray, like, lt, or, type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { staffUsers } from '../../db/schema/staff.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { auditLog } from '../../db/schema/system.ts';
import type { CheckpointFinding } from '../../domain/audit-chain.ts';
import { UUID } from '../../domain/identifiers.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { type AuditAnchor, verifyAuditLog } from '../audit/audit-log.ts';

export type AuditFilters = {
  /** An action or the start of one, e.g. `request.` or `document.viewed`. */
  action?: string;
  actorId?: string;
  /** A request's reference (R-…). */
  request?: string;
  /** A number, in any format. */
  line?: string;
  /** Days in the operator's time zone, inclusive. */
  from?: string;
  to?: string;
};

/** `verified`: the chain up to the entry recomputes; `broken`: the first bad one; `unverifiable`: after it. */
export type ChainStatus = 'verified' | 'broken' | 'unverifiable';
export type AuditEntryView = typeof auditLog.$inferSelect & { chain: ChainStatus };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The operator's audit entries matching the filters, newest first, each with where it stands in the chain. */
export type AuditEntries = {
  entries: AuditEntryView[];
  brokenAt: number | null;
  /** The first signed checkpoint the stored log no longer matches (rewritten, cut short, or a forged checkpoint). */
  checkpoint: CheckpointFinding | null;
};

export async function auditEntries(
  db: Db,
  anchor: AuditAnchor,
  operator: { id: string; timeZone: string },
  filters: AuditFilters,
  limit = 200,
): Promise<AuditEntries> {
  const where: SQL[] = [eq(auditLog.operatorId, operator.id)];
  if (filters.action) where.push(like(auditLog.action, `${filters.action.replace(/[%_\\]/g, '\\$&')}%`));
  if (filters.actorId) where.push(eq(auditLog.actorId, filters.actorId));
  const targets = await targetsOf(db, operator.id, filters);
  if (targets !== null) {
    if (targets.length === 0) return { entries: [], brokenAt: null, checkpoint: null };
    where.push(
      or(inArray(auditLog.targetId, targets), inArray(sql<string>`${auditLog.data}->>'requestId'`, targets)) as SQL,
    );
  }
  const day = (value: string | undefined) =>
    value && DAY.test(value) ? DateTime.fromISO(value, { zone: operator.timeZone }) : null;
  const from = day(filters.from);
  const to = day(filters.to);
  if (from?.isValid) where.push(gte(auditLog.createdAt, from.toJSDate()));
  if (to?.isValid) where.push(lt(auditLog.createdAt, to.plus({ days: 1 }).toJSDate()));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  const { brokenAt, checkpointProblem } = await verifyAuditLog(db, anchor);
  const chain = (id: number): ChainStatus =>
    brokenAt === null || id < brokenAt ? 'verified' : id === brokenAt ? 'broken' : 'unverifiable';
  return { entries: rows.map((row) => ({ ...row, chain: chain(row.id) })), brokenAt, checkpoint: checkpointProblem };
}

/** The ids a request or line filter stands for (the request, the line and its requests), or null without one. */
async function targetsOf(db: Db, operatorId: string, filters: AuditFilters): Promise<string[] | null> {
  const ids: string[] = [];
  let filtered = false;
  if (filters.request) {
    filtered = true;
    const found = await db
      .select({ id: replacementRequests.id })
      .from(replacementRequests)
      .where(
        and(
          eq(replacementRequests.operatorId, operatorId),
          eq(replacementRequests.reference, filters.request.trim().toUpperCase()),
        ),
      );
    ids.push(...found.map((r) => r.id));
  }
  if (filters.line) {
    filtered = true;
    const msisdn = parseMsisdn(filters.line);
    if (msisdn.ok) {
      const [line] = await db
        .select({ id: lines.id })
        .from(lines)
        .where(and(eq(lines.operatorId, operatorId), eq(lines.msisdn, msisdn.value)));
      if (line) {
        const requests = await db
          .select({ id: replacementRequests.id })
          .from(replacementRequests)
          .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.lineId, line.id)));
        ids.push(line.id, ...requests.map((r) => r.id));
      }
    }
  }
  return filtered ? ids : null;
}

/** The e-mail of each staff member who acted in the entries, to name them on the page. */
export async function actorNames(db: Db, operatorId: string, entries: AuditEntryView[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      entries.flatMap((e) => (e.actorKind === 'staff' && UUID.test(e.actorId ?? '') ? [e.actorId as string] : [])),
    ),
  ];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: staffUsers.id, email: staffUsers.email })
    .from(staffUsers)
    .where(and(eq(staffUsers.operatorId, operatorId), inArray(staffUsers.id, ids)));
  return new Map(rows.map((r) => [r.id, r.email]));
}
