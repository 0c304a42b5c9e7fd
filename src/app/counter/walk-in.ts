import { randomUUID } from 'node:crypto';
import { and, eq, notInArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { operators } from '../../db/schema/operators.ts';
import { appointments, identityDocuments, payments, replacementRequests } from '../../db/schema/requests.ts';
import { simChanges } from '../../db/schema/sim-changes.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { quoteFee } from '../../domain/fees.ts';
import type { IccidError } from '../../domain/iccid.ts';
import { type ShownDocument, sameDocument } from '../../domain/identity-check.ts';
import type { Reason, SimType } from '../../domain/replacement.ts';
import { TERMINAL_STATUSES } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { loadOperatorProfile } from '../operators/operator-profile.ts';
import { COUNTER } from '../payments/refunds.ts';
import { unfreezeAccount } from '../requests/frozen-requests.ts';
import { newReference, type ReplacementRequest } from '../requests/replacement-draft.ts';
import { noticeRequestUpdate } from '../requests/request-notices.ts';
import { applyRequestEvent } from '../requests/request-transitions.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { notifyEveryContact } from '../requests/submit-replacement.ts';
import { wasntMeLink } from '../requests/wasnt-me.ts';
import { keyId, openSecret, sealSecret } from '../secret-box.ts';
import { transact, transactKeeping } from '../transact.ts';
import { counterCenter } from './counter-center.ts';
import { documentCheckHeld, wrongDocumentShown } from './document-checks.ts';

/**
 * A walk-in at the counter: the agent checks the passport in person against the one the
 * contract was signed with, the request is created (channel `counter`) and approved in person,
 * the fee is taken in cash or on the card terminal, and a card from this center's shelf (or an
 * eSIM profile) is activated on the spot. Every step is audited with the agent and the center.
 */

export type CounterError =
  | 'staff.forbidden'
  | 'staff.no_center'
  | 'line.not_found'
  | 'identity.none_on_file'
  | 'identity.mismatch'
  | 'identity.held'
  | 'counter.open_request'
  | 'counter.no_esim'
  | 'fee.no_rule'
  | 'request.not_found'
  | 'request.changed'
  | 'counter.wrong_step'
  | 'counter.slip_required'
  | 'sim.unknown'
  | 'sim.in_use'
  | 'sim.other_center'
  | 'sim.wrong_kind'
  | 'sim.out_of_stock'
  | IccidError;

export type WalkIn = ShownDocument & { lineId: string; reason: Reason; simType: SimType; appointmentId?: string };
export type CounterPayment = { method: 'cash' | 'card_terminal'; slipRef: string };

/** The walk-in's line, locked, with its account, operator and the agent's center. */
type WalkInLine = {
  center: string;
  line: typeof lines.$inferSelect;
  account: typeof accounts.$inferSelect;
  operator: typeof operators.$inferSelect;
};

/**
 * The owner, whose passport matches the contract's, stands at the counter: a request frozen by
 * their "This wasn't me" ends (cancelled, a paid fee refunded, the owner told) and the account is
 * unfrozen, so the walk-in can replace the SIM. The SIM-change lock does not hold a counter request.
 */
async function endFrozenInPerson(
  tx: Tx,
  links: Links,
  staff: StaffActor,
  frozen: ReplacementRequest,
  now: Date,
): Promise<Result<null, CounterError>> {
  const cancelled = await applyRequestEvent(tx, frozen, { type: 'cancel' }, { kind: 'staff', id: staff.staffId }, now);
  if (!cancelled.ok) return err('request.changed');
  await unfreezeAccount(tx, frozen.accountId);
  await appendAudit(
    tx,
    {
      operatorId: staff.operatorId,
      actorKind: 'staff',
      actorId: staff.staffId,
      action: 'counter.frozen_request_ended',
      targetKind: 'replacement_request',
      targetId: frozen.id,
      ip: staff.ip,
      data: { reference: frozen.reference },
    },
    now,
  );
  await noticeRequestUpdate(tx, links, frozen, 'cancelled');
  return ok(null);
}

/**
 * Checks the passport shown against the account's and creates the counter request, approved in
 * person (no four eyes, no hold: the owner stands at the counter). A mismatch stops here and is
 * audited; nothing of the account is written.
 */
export async function startWalkIn(
  db: Db,
  links: Links,
  documentKey: Buffer,
  staff: StaffActor,
  walkIn: WalkIn,
  now = new Date(),
): Promise<Result<{ requestId: string }, CounterError>> {
  return transactKeeping(
    db,
    // The line is locked and its check's allowance read first, so parallel checks are counted in turn.
    async (tx): Promise<Result<WalkInLine, CounterError>> => {
      await requireRole(tx, staff, ['store_agent']);
      const center = await counterCenter(tx, staff);
      if (!center.ok) return center;
      const [row] = await tx
        .select({ line: lines, account: accounts, operator: operators })
        .from(lines)
        .innerJoin(accounts, eq(accounts.id, lines.accountId))
        .innerJoin(operators, eq(operators.id, lines.operatorId))
        .where(and(eq(lines.operatorId, staff.operatorId), eq(lines.id, walkIn.lineId)))
        .for('update', { of: lines });
      if (!row || row.line.status === 'terminated') return err('line.not_found');
      if (await documentCheckHeld(tx, row.line.id, now)) return err('identity.held');
      return ok({ center: center.value, ...row });
    },
    (tx, kept) => openWalkIn(tx, links, documentKey, staff, walkIn, kept, now),
    async (tx, kept, answer) => {
      if (!answer.ok && answer.error === 'identity.mismatch')
        await wrongDocumentShown(tx, staff, kept.line.id, walkIn.docType, now);
    },
  );
}

/** The walk-in once its line is locked: the passport compared with the contract's, then the request opened. */
async function openWalkIn(
  tx: Tx,
  links: Links,
  documentKey: Buffer,
  staff: StaffActor,
  walkIn: WalkIn,
  { center: centerId, line, account, operator }: WalkInLine,
  now: Date,
): Promise<Result<{ requestId: string }, CounterError>> {
  if (!account.documentType || !account.documentNumberEncrypted) return err('identity.none_on_file');
  const onFile = {
    docType: account.documentType,
    docNumber: openSecret(documentKey, account.documentNumberEncrypted, account.id),
  };
  if (!sameDocument(walkIn, onFile)) return err('identity.mismatch');
  const [open] = await tx
    .select()
    .from(replacementRequests)
    .where(and(eq(replacementRequests.lineId, line.id), notInArray(replacementRequests.status, [...TERMINAL_STATUSES])))
    .for('update');
  if (open?.status === 'frozen') {
    const ended = await endFrozenInPerson(tx, links, staff, open, now);
    if (!ended.ok) return ended;
  } else if (open) return err('counter.open_request');
  const [centerRow] = await tx
    .select({ offersEsim: serviceCenters.offersEsim })
    .from(serviceCenters)
    .where(eq(serviceCenters.id, centerId));
  if (walkIn.simType === 'esim' && !(operator.esimEnabled && centerRow?.offersEsim)) return err('counter.no_esim');

  const profile = await loadOperatorProfile(tx, operator);
  const earlier = await tx.select({ at: simChanges.changedAt }).from(simChanges).where(eq(simChanges.lineId, line.id));
  const quote = quoteFee(profile.feeRules, {
    reason: walkIn.reason,
    simType: walkIn.simType,
    channel: 'counter',
    delivery: 'counter',
    previousReplacements: earlier.map((e) => e.at),
    deliveryFeeMinor: 0,
    now,
  });
  if (!quote.ok) return err(quote.error);

  const [created] = await tx
    .insert(replacementRequests)
    .values({
      operatorId: staff.operatorId,
      accountId: account.id,
      lineId: line.id,
      reference: newReference(),
      channel: 'counter',
      reason: walkIn.reason,
      simType: walkIn.simType,
      delivery: 'counter',
      centerId: centerId,
      contactName: account.fullName,
      contactPhone: line.msisdn,
      contactEmail: account.email,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const draft = created as ReplacementRequest;
  const actor = { kind: 'staff' as const, id: staff.staffId };
  const submitted = await applyRequestEvent(
    tx,
    draft,
    { type: 'submit', feeMinor: quote.value.totalMinor, fourEyes: false },
    actor,
    now,
    {
      feeMinor: quote.value.totalMinor,
      currency: operator.currency,
      feeItems: quote.value.items,
      submittedAt: now,
    },
    { feeMinor: quote.value.totalMinor, currency: operator.currency, centerId: centerId },
  );
  if (!submitted.ok) return err('request.changed');
  if (submitted.value.state.status === 'in_review') {
    const approved = await approveInPerson(tx, staff, draft.id, now);
    if (!approved.ok) return approved;
  }
  const documentId = randomUUID();
  await tx.insert(identityDocuments).values({
    id: documentId,
    operatorId: staff.operatorId,
    accountId: account.id,
    requestId: draft.id,
    docType: walkIn.docType,
    numberEncrypted: sealSecret(documentKey, walkIn.docNumber, documentId),
    keyId: keyId(documentKey),
    verifiedInPerson: true,
    purgeAfter: new Date(now.getTime() + operator.documentRetentionDays * 86_400_000),
    createdAt: now,
  });
  if (walkIn.appointmentId)
    await tx
      .update(appointments)
      .set({ status: 'attended', requestId: draft.id, accountId: account.id })
      .where(
        and(
          eq(appointments.operatorId, staff.operatorId),
          eq(appointments.centerId, centerId),
          eq(appointments.id, walkIn.appointmentId),
          eq(appointments.status, 'booked'),
        ),
      );
  await appendAudit(
    tx,
    {
      operatorId: staff.operatorId,
      actorKind: 'staff',
      actorId: staff.staffId,
      action: 'counter.walk_in',
      targetKind: 'replacement_request',
      targetId: draft.id,
      ip: staff.ip,
      data: { reference: draft.reference, centerId: centerId, docType: walkIn.docType, reason: walkIn.reason },
    },
    now,
  );
  await notifyEveryContact(tx, {
    operatorId: staff.operatorId,
    requestId: draft.id,
    reference: draft.reference,
    msisdn: line.msisdn,
    account,
    operatorName: operator.name[account.locale],
    timeZone: operator.timeZone,
    link: wasntMeLink(links, operator, draft.id),
    now,
  });
  return ok({ requestId: draft.id });
}

/** The request as this transaction last wrote it. */
export async function reread(tx: Tx, requestId: string): Promise<ReplacementRequest> {
  const [fresh] = await tx.select().from(replacementRequests).where(eq(replacementRequests.id, requestId));
  return fresh as ReplacementRequest;
}

/** Approved by the agent who saw the passport: in person, so neither four eyes nor a hold apply. */
async function approveInPerson(tx: Tx, staff: StaffActor, requestId: string, now: Date) {
  const approved = await applyRequestEvent(
    tx,
    await reread(tx, requestId),
    { type: 'approve', by: staff.staffId, inPerson: true },
    { kind: 'staff', id: staff.staffId },
    now,
  );
  return approved.ok ? ok(null) : err('request.changed' as const);
}

/** A counter request of this agent's center, locked. */
export async function counterRequest(
  tx: Tx,
  staff: StaffActor,
  requestId: string,
): Promise<Result<ReplacementRequest, CounterError>> {
  const center = await counterCenter(tx, staff);
  if (!center.ok) return center;
  const [request] = await tx
    .select()
    .from(replacementRequests)
    .where(
      and(
        eq(replacementRequests.operatorId, staff.operatorId),
        eq(replacementRequests.id, requestId),
        eq(replacementRequests.channel, 'counter'),
        eq(replacementRequests.centerId, center.value),
      ),
    )
    .for('update');
  return request ? ok(request) : err('request.not_found');
}

/**
 * The fee, taken at the counter: cash, or the card terminal with the slip's reference. It is
 * recorded as a payment with the agent and the center, and the request is approved in person.
 */
export async function takeCounterPayment(
  db: Db,
  staff: StaffActor,
  requestId: string,
  payment: CounterPayment,
  now = new Date(),
): Promise<Result<null, CounterError>> {
  const slipRef = payment.slipRef.trim();
  if (payment.method === 'card_terminal' && !slipRef) return err('counter.slip_required');
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['store_agent']);
    const found = await counterRequest(tx, staff, requestId);
    if (!found.ok) return found;
    const request = found.value;
    if (request.status !== 'awaiting_payment') return err('counter.wrong_step');
    await tx.insert(payments).values({
      operatorId: staff.operatorId,
      requestId: request.id,
      method: payment.method,
      amountMinor: request.feeMinor,
      currency: request.currency,
      status: 'succeeded',
      provider: COUNTER,
      providerRef: payment.method === 'card_terminal' ? slipRef : null,
      idempotencyKey: `counter:${request.id}`,
      receivedByStaffId: staff.staffId,
      centerId: request.centerId,
      succeededAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const paid = await applyRequestEvent(
      tx,
      request,
      { type: 'payment_succeeded' },
      { kind: 'staff', id: staff.staffId },
      now,
      {},
      { method: payment.method, amountMinor: request.feeMinor },
    );
    if (!paid.ok) return err('request.changed');
    const approved = await approveInPerson(tx, staff, request.id, now);
    if (!approved.ok) return approved;
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'counter.payment',
        targetKind: 'replacement_request',
        targetId: request.id,
        ip: staff.ip,
        data: { reference: request.reference, method: payment.method, amountMinor: request.feeMinor, slipRef },
      },
      now,
    );
    return ok(null);
  });
}
