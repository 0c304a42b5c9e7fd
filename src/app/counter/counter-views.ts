import { and, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import type { LocalizedText } from '../../db/schema/columns.ts';
import { operators } from '../../db/schema/operators.ts';
import { appointments, identityDocuments, replacementRequests } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { staffUsers } from '../../db/schema/staff.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { TERMINAL_STATUSES } from '../../domain/request-machine.ts';
import { type Receipt, settlingPayment } from '../payments/receipt.ts';
import type { StaffActor } from '../requests/staff-step.ts';
import { openSecret } from '../secret-box.ts';

/** What the counter reads: the line a walk-in asks about, and the case being served. */

/** A visit ticket as typed: "v-4k7m 2qx", "V4K7M2QX" and "V-4K7M2QX" are one ticket. */
export function ticketOf(input: string): string | null {
  const code = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return /^V[0-9A-Z]{7}$/.test(code) ? `V-${code.slice(1)}` : null;
}

export type Found = { lineId: string; appointmentId: string | null };

/** The line a walk-in names: its number in any format, or the ticket of a booked visit (the visit's phone). */
export async function findAtCounter(db: Db, operatorId: string, query: string): Promise<Found | null> {
  const ticket = ticketOf(query);
  let msisdn: string | null = null;
  let appointmentId: string | null = null;
  if (ticket) {
    const [visit] = await db
      .select({ id: appointments.id, phone: appointments.contactPhone, line: appointments.lineMsisdn })
      .from(appointments)
      .where(
        and(
          eq(appointments.operatorId, operatorId),
          eq(appointments.ticket, ticket),
          eq(appointments.status, 'booked'),
        ),
      );
    if (!visit) return null;
    msisdn = visit.line ?? visit.phone;
    appointmentId = visit.id;
  } else {
    const parsed = parseMsisdn(query);
    if (!parsed.ok) return null;
    msisdn = parsed.value;
  }
  const [line] = await db
    .select({ id: lines.id })
    .from(lines)
    .where(and(eq(lines.operatorId, operatorId), eq(lines.msisdn, msisdn), notInArray(lines.status, ['terminated'])));
  return line ? { lineId: line.id, appointmentId } : null;
}

export type CounterLine = {
  lineId: string;
  msisdn: string;
  status: string;
  kind: string;
  simFormFactor: string | null;
  lastSimChangeAt: Date | null;
  documentOnFile: boolean;
  openRequests: { id: string; reference: string; status: string; delivery: string | null; atThisCenter: boolean }[];
};

/**
 * The line before the passport is checked: its number, status, SIM and open requests, but not
 * who owns it (staff see personal data only once the subscriber is identified).
 */
export async function counterLine(
  db: Db,
  operatorId: string,
  lineId: string,
  centerId: string | null,
): Promise<CounterLine | null> {
  const [row] = await db
    .select({ line: lines, documentType: accounts.documentType })
    .from(lines)
    .innerJoin(accounts, eq(accounts.id, lines.accountId))
    .where(and(eq(lines.operatorId, operatorId), eq(lines.id, lineId)));
  if (!row) return null;
  const [sim] = await db
    .select({ formFactor: sims.formFactor })
    .from(sims)
    .where(and(eq(sims.lineId, lineId), eq(sims.status, 'active')));
  const open = await db
    .select({
      id: replacementRequests.id,
      reference: replacementRequests.reference,
      status: replacementRequests.status,
      delivery: replacementRequests.delivery,
      centerId: replacementRequests.centerId,
    })
    .from(replacementRequests)
    .where(and(eq(replacementRequests.lineId, lineId), notInArray(replacementRequests.status, [...TERMINAL_STATUSES])));
  return {
    lineId,
    msisdn: row.line.msisdn,
    status: row.line.status,
    kind: row.line.kind,
    simFormFactor: sim?.formFactor ?? null,
    lastSimChangeAt: row.line.lastSimChangeAt,
    documentOnFile: row.documentType !== null,
    openRequests: open.map(({ centerId: at, ...r }) => ({ ...r, atThisCenter: at !== null && at === centerId })),
  };
}

/** How long after activation the agent's screen still shows an eSIM's activation code. */
export const ESIM_CODE_SHOWN_MINUTES = 30;

export type CounterCase = Receipt & {
  id: string;
  status: string;
  reason: string | null;
  simType: string | null;
  locale: 'ru' | 'en' | 'zh';
  center: { name: LocalizedText; address: LocalizedText };
  agent: string;
  document: { docType: string; docNumber: string } | null;
  iccid: string | null;
  activatedAt: Date | null;
  esimCode: string | null;
};

/** A counter request of the agent's center, with everything its pages and the printed form show. */
export async function counterCase(
  db: Db,
  documentKey: Buffer,
  staff: StaffActor,
  centerId: string,
  requestId: string,
  now = new Date(),
): Promise<CounterCase | null> {
  const [row] = await db
    .select({
      request: replacementRequests,
      msisdn: lines.msisdn,
      payer: accounts.fullName,
      locale: accounts.locale,
      operator: operators,
      center: serviceCenters,
      iccid: sims.iccid,
      matchingId: sims.esimMatchingId,
      orderedFrom: sims.esimSmdpAddress,
    })
    .from(replacementRequests)
    .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
    .innerJoin(accounts, eq(accounts.id, replacementRequests.accountId))
    .innerJoin(operators, eq(operators.id, replacementRequests.operatorId))
    .innerJoin(serviceCenters, eq(serviceCenters.id, replacementRequests.centerId))
    .leftJoin(sims, eq(sims.id, replacementRequests.simId))
    .where(
      and(
        eq(replacementRequests.operatorId, staff.operatorId),
        eq(replacementRequests.id, requestId),
        eq(replacementRequests.channel, 'counter'),
        eq(replacementRequests.centerId, centerId),
      ),
    );
  if (!row?.request.submittedAt) return null;
  const { request } = row;
  const payment = await settlingPayment(db, request.id);
  const [document] = await db.select().from(identityDocuments).where(eq(identityDocuments.requestId, request.id));
  const [agent] = await db
    .select({ name: staffUsers.fullName })
    .from(staffUsers)
    .where(eq(staffUsers.id, payment?.receivedBy ?? staff.staffId));
  const shownUntil = request.activatedAt && request.activatedAt.getTime() + ESIM_CODE_SHOWN_MINUTES * 60_000;
  const codeShown = request.simType === 'esim' && shownUntil && shownUntil > now.getTime();
  return {
    id: request.id,
    status: request.status,
    reason: request.reason,
    simType: request.simType,
    locale: row.locale,
    operator: row.operator,
    center: { name: row.center.name, address: row.center.address },
    agent: agent?.name ?? '',
    reference: request.reference,
    msisdn: row.msisdn,
    payer: row.payer,
    submittedAt: request.submittedAt as Date,
    currency: request.currency,
    items: request.feeItems,
    totalMinor: request.feeMinor,
    payment: payment ?? null,
    document:
      document && !document.purgedAt
        ? { docType: document.docType, docNumber: openSecret(documentKey, document.numberEncrypted, document.id) }
        : null,
    iccid: request.simType === 'physical' ? row.iccid : null,
    activatedAt: request.activatedAt,
    esimCode:
      codeShown && (row.orderedFrom ?? row.operator.smdpAddress) && row.matchingId
        ? `LPA:1$${row.orderedFrom ?? row.operator.smdpAddress}$${row.matchingId}`
        : null,
  };
}
