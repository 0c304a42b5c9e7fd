import { randomInt } from 'node:crypto';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { readModel, rowFromJson } from '../../db/json-rows.ts';
import { operators } from '../../db/schema/operators.ts';
import { identityDocuments, replacementRequests } from '../../db/schema/requests.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { type Ineligibility, onlineIneligibility } from '../../domain/online-eligibility.ts';
import { type DraftAnswers, settle } from '../../domain/replacement-wizard.ts';
import { TERMINAL_STATUSES } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { currentOffer } from '../operators/operator-profile.ts';
import { transact } from '../transact.ts';

export type SubscriberActor = { operatorId: string; accountId: string; ip: string };
/** Whose data a read is for. */
export type AccountRef = Pick<SubscriberActor, 'operatorId' | 'accountId'>;
export type ReplacementRequest = typeof replacementRequests.$inferSelect;
export type Draft = {
  request: ReplacementRequest;
  answers: DraftAnswers;
  msisdn: string;
  document: DraftDocument | null;
  previousReplacements: Date[];
};

/** Why this account may not replace a SIM online now, or null when it may. */
export async function replacementIneligibility(
  db: Db | Tx,
  actor: SubscriberActor,
  now = new Date(),
): Promise<Ineligibility | null> {
  const [row] = await db
    .select({ account: accounts, operator: operators })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)));
  if (!row) return { reason: 'eligibility.frozen' };
  const { account, operator } = row;
  return onlineIneligibility({
    lock: { on: account.simChangeLock, releaseAt: account.lockReleaseAt },
    frozen: account.frozenAt !== null,
    policy: operator.onlineReplacement,
    citizenship: account.citizenship,
    operatorCountry: operator.countryCode,
    passwordChangedAt: account.passwordChangedAt,
    contactsChangedAt: account.contactsChangedAt,
    coolingOffHours: operator.coolingOffHours,
    hasSecondFactorContact: account.email !== null || account.secondPhone !== null,
    now,
  });
}

export type StartError = { reason: 'line.not_found' } | Ineligibility;

/**
 * Opens the wizard for one of the account's lines: resumes its draft, points at a request already
 * under way (a line has one open request at most), or creates a draft after checking eligibility.
 */
export async function startReplacement(
  db: Db,
  actor: SubscriberActor,
  lineId: string,
  now = new Date(),
): Promise<Result<{ requestId: string }, StartError>> {
  return transact(db, async (tx) => {
    const [line] = await tx
      .select({ id: lines.id, status: lines.status })
      .from(lines)
      .where(and(eq(lines.operatorId, actor.operatorId), eq(lines.accountId, actor.accountId), eq(lines.id, lineId)))
      .for('update');
    if (!line || line.status === 'terminated') return err({ reason: 'line.not_found' as const });
    const [open] = await tx
      .select({ id: replacementRequests.id })
      .from(replacementRequests)
      .where(
        and(eq(replacementRequests.lineId, line.id), notInArray(replacementRequests.status, [...TERMINAL_STATUSES])),
      );
    if (open) return ok({ requestId: open.id });
    const refusal = await replacementIneligibility(tx, actor, now);
    if (refusal) return err(refusal);
    const [created] = await tx
      .insert(replacementRequests)
      .values({
        operatorId: actor.operatorId,
        accountId: actor.accountId,
        lineId: line.id,
        reference: newReference(),
        channel: 'online',
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: replacementRequests.id });
    return ok({ requestId: (created as { id: string }).id });
  });
}

/** Unambiguous characters only: no 0/O or 1/I to misread on the phone. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A short code people read out or type: "R-7K3M9QX" for a request, "V-…" for a visit ticket. */
export const newReference = (prefix = 'R') =>
  `${prefix}-${Array.from({ length: 7 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('')}`;

/** One of the account's own requests; anyone else's is "not found". */
export async function ownRequest(db: Db | Tx, actor: SubscriberActor, requestId: string) {
  const [row] = await db
    .select({ request: replacementRequests, msisdn: lines.msisdn })
    .from(replacementRequests)
    .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
    .where(
      and(
        eq(replacementRequests.operatorId, actor.operatorId),
        eq(replacementRequests.accountId, actor.accountId),
        eq(replacementRequests.id, requestId),
      ),
    );
  return row ?? null;
}

/** One of the account's own requests, locked until the transaction ends; anyone else's is undefined. */
export async function lockOwnRequest(tx: Tx, actor: SubscriberActor, requestId: string) {
  const [request] = await tx
    .select()
    .from(replacementRequests)
    .where(
      and(
        eq(replacementRequests.operatorId, actor.operatorId),
        eq(replacementRequests.accountId, actor.accountId),
        eq(replacementRequests.id, requestId),
      ),
    )
    .for('update');
  return request;
}

/** The identity document saved with a draft: the number still sealed. */
export type DraftDocument = Pick<
  typeof identityDocuments.$inferSelect,
  'id' | 'docType' | 'numberEncrypted' | 'storageKey'
>;

/**
 * The account's draft with its answers so far, the document saved with it and the dates of the
 * line's earlier SIM changes (for the fee), in one query; null when it is not a draft of this account.
 */
export async function loadDraft(db: Db | Tx, actor: AccountRef, requestId: string): Promise<Draft | null> {
  const model = await readModel<{
    request: Record<string, unknown>;
    msisdn: string;
    document: Record<string, unknown> | null;
    sim_changes: string[];
  }>(db as Db, sql`portal_draft(${actor.operatorId}, ${actor.accountId}, ${requestId})`);
  if (!model) return null;
  const request = rowFromJson(replacementRequests, model.request);
  if (request.status !== 'draft') return null;
  const document = model.document && rowFromJson(identityDocuments, model.document);
  return {
    request,
    msisdn: model.msisdn,
    answers: answersOf(request, document?.storageKey != null),
    document,
    previousReplacements: model.sim_changes.map((at) => new Date(at)),
  };
}

function answersOf(r: ReplacementRequest, documentUploaded: boolean): DraftAnswers {
  return {
    reason: r.reason,
    simType: r.simType,
    delivery: r.delivery,
    zoneId: r.deliveryZoneId,
    centerId: r.centerId,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    contactEmail: r.contactEmail,
    deliveryAddress: r.deliveryAddress,
    documentUploaded,
  };
}

export type SaveError = 'draft.not_found' | 'draft.changed';

/**
 * Stores a page's answers in the draft at once, so nothing typed is lost. The version check
 * refuses a save based on a stale page (say, from a second tab) rather than mixing the two.
 */
export async function saveAnswers(
  db: Db,
  actor: SubscriberActor,
  requestId: string,
  patch: Partial<Omit<DraftAnswers, 'documentUploaded'>>,
  now = new Date(),
): Promise<Result<DraftAnswers, SaveError>> {
  return transact(db, async (tx) => {
    const draft = await loadDraft(tx, actor, requestId);
    if (!draft) return err('draft.not_found' as const);
    const answers = settle({ ...draft.answers, ...patch }, await currentOffer(tx, actor.operatorId));
    const updated = await tx
      .update(replacementRequests)
      .set({
        reason: answers.reason,
        simType: answers.simType,
        delivery: answers.delivery,
        deliveryZoneId: answers.zoneId,
        centerId: answers.centerId,
        contactName: answers.contactName,
        contactPhone: answers.contactPhone,
        contactEmail: answers.contactEmail,
        deliveryAddress: answers.deliveryAddress,
        version: draft.request.version + 1,
        updatedAt: now,
      })
      .where(
        and(
          eq(replacementRequests.id, requestId),
          eq(replacementRequests.version, draft.request.version),
          eq(replacementRequests.status, 'draft'),
        ),
      )
      .returning({ id: replacementRequests.id });
    if (updated.length === 0) return err('draft.changed' as const);
    return ok(answers);
  });
}
