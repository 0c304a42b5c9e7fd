import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { identityDocuments, shipments } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { parseIccid } from '../../domain/iccid.ts';
import { type ShownDocument, sameDocument } from '../../domain/identity-check.ts';
import { PARCEL_ON_ITS_WAY } from '../../domain/parcel-tracking.ts';
import type { DocumentType } from '../../domain/replacement.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { openSecret } from '../secret-box.ts';
import { recordingRefusals } from '../transact.ts';
import { type ActivationError, completeActivation, holdOf, type OnHold } from './activation.ts';
import { noticeRequestUpdate } from './request-notices.ts';
import { applyRequestEvent } from './request-transitions.ts';
import { act, requestFor, type StaffActor, type StaffError, worksAt } from './staff-step.ts';

/**
 * The card reaches the subscriber's hands: at the counter for a pickup, at the door from a
 * courier. Both check the document shown in person against the one on file, and a mismatch
 * stops the hand-over and is audited.
 */

/** What a courier checked at the door: the document's type and the last digits of its number. */
export type DoorCheck = { docType: DocumentType; lastDigits: string };

/**
 * The card reached the subscriber. Logistics records what the carrier reports; a courier of
 * the operator's own, where its policy asks for it, first checks the passport at the door: the
 * type and at least four last digits must be those on file, or nothing is handed over (audited).
 */
export async function markDelivered(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  now = new Date(),
  door?: { check: DoorCheck | null; documentKey: Buffer },
) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.deliver',
    {
      roles: ['logistics', 'courier'],
      decide: async (request, tx) => {
        if (door) {
          const [operator] = await tx
            .select({ check: operators.courierPassportCheck })
            .from(operators)
            .where(eq(operators.id, request.operatorId));
          if (operator?.check && !(await shownAtDoor(tx, door.documentKey, request, door.check)))
            return err('identity.mismatch' as const);
        }
        return ok({ event: { type: 'deliver' } as const, detail: null });
      },
      record: async (request, _none, tx) => {
        await tx
          .update(shipments)
          .set({ status: 'delivered', deliveredAt: now })
          .where(and(eq(shipments.requestId, request.id), inArray(shipments.status, [...PARCEL_ON_ITS_WAY])));
      },
      notice: () => 'delivered',
    },
    now,
    recordingRefusals(async (tx, answer) => {
      if (!answer.ok && answer.error === 'identity.mismatch')
        await mismatchAudit(tx, staff, 'delivery.identity_mismatch', requestId, {}, now);
    }),
  );
}

/** A wrong document shown at a hand-over, audited in the step's own transaction. */
const mismatchAudit = (
  tx: Tx,
  staff: StaffActor,
  action: 'delivery.identity_mismatch' | 'pickup.identity_mismatch',
  requestId: string,
  data: Record<string, unknown>,
  now: Date,
) =>
  appendAudit(
    tx,
    {
      operatorId: staff.operatorId,
      actorKind: 'staff',
      actorId: staff.staffId,
      action,
      targetKind: 'replacement_request',
      targetId: requestId,
      ip: staff.ip,
      data,
    },
    now,
  );

/**
 * The document a person handed the card must show: the contract's, where the account has one
 * (the scan sent with the request may be anyone's), else the one the request was made with.
 */
async function documentOnFile(
  tx: Tx,
  documentKey: Buffer,
  request: { id: string; accountId: string },
): Promise<ShownDocument | null> {
  const [account] = await tx
    .select({ docType: accounts.documentType, sealed: accounts.documentNumberEncrypted })
    .from(accounts)
    .where(eq(accounts.id, request.accountId));
  if (account?.docType && account.sealed)
    return { docType: account.docType, docNumber: openSecret(documentKey, account.sealed, request.accountId) };
  const [document] = await tx
    .select()
    .from(identityDocuments)
    .where(and(eq(identityDocuments.requestId, request.id), isNull(identityDocuments.purgedAt)));
  return document
    ? { docType: document.docType, docNumber: openSecret(documentKey, document.numberEncrypted, document.id) }
    : null;
}

/** Whether the document shown at the door is the one on file: same type, number ending in the digits typed. */
async function shownAtDoor(
  tx: Tx,
  documentKey: Buffer,
  request: { id: string; accountId: string },
  check: DoorCheck | null,
): Promise<boolean> {
  const digits = check?.lastDigits.replace(/\D/g, '') ?? '';
  if (!check || digits.length < 4) return false;
  const onFile = await documentOnFile(tx, documentKey, request);
  return onFile?.docType === check.docType && onFile.docNumber.replace(/\D/g, '').endsWith(digits);
}

/** The courier could not hand the card over (nobody at home, or the subscriber refused it): it goes back to logistics. */
export function deliveryFailed(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  outcome: 'not_home' | 'refused',
  now = new Date(),
) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.delivery_failed',
    {
      roles: ['logistics', 'courier'],
      decide: async () => ok({ event: { type: 'delivery_failed' } as const, data: { outcome }, detail: null }),
      record: async (request, _none, tx) => {
        await tx
          .update(shipments)
          .set({ status: 'returned' })
          .where(and(eq(shipments.requestId, request.id), inArray(shipments.status, [...PARCEL_ON_ITS_WAY])));
      },
    },
    now,
  );
}

/**
 * At the center: the agent has checked the passport in person and hands over the card reserved
 * for this request; it must be that card, the hold after approval must be over, and it is
 * activated at once.
 */
export type PickupHandOver = { iccid: string } & ShownDocument;

/**
 * A store agent of the request's center hands a pickup SIM over: the document shown in person
 * must be the one on file (a mismatch stops here and is audited), the card must be the one
 * reserved, and the hold after approval must be over; then the SIM is activated at once.
 */
export async function handOverPickup(
  db: Db,
  links: Links,
  documentKey: Buffer,
  staff: StaffActor,
  requestId: string,
  handOver: PickupHandOver,
  now = new Date(),
): Promise<Result<{ msisdn: string; activated: boolean }, StaffError | ActivationError | OnHold>> {
  const recordingMismatch = recordingRefusals(async (tx, answer) => {
    if (!answer.ok && answer.error === 'identity.mismatch')
      await mismatchAudit(tx, staff, 'pickup.identity_mismatch', requestId, { docType: handOver.docType }, now);
  });
  return recordingMismatch(
    db,
    async (tx): Promise<Result<{ msisdn: string; activated: boolean }, StaffError | ActivationError | OnHold>> => {
      const found = await requestFor(tx, staff, requestId, ['store_agent']);
      if (!found.ok) return found;
      const request = found.value;
      if (!(await worksAt(tx, staff, request.centerId, ['admin']))) return err('staff.other_center' as const);
      if (request.status !== 'ready_for_pickup' || !request.simId) return err('activation.not_ready' as const);
      const onFile = await documentOnFile(tx, documentKey, request);
      if (!onFile || !sameDocument(handOver, onFile)) return err('identity.mismatch' as const);
      const iccid = parseIccid(handOver.iccid);
      if (!iccid.ok) return iccid;
      const [sim] = await tx.select({ iccid: sims.iccid }).from(sims).where(eq(sims.id, request.simId));
      if (sim?.iccid !== iccid.value) return err('activation.wrong_sim' as const);
      const [operator] = await tx
        .select({ atCounter: operators.pickupActivatesAtCounter })
        .from(operators)
        .where(eq(operators.id, request.operatorId));
      const activates = operator?.atCounter ?? true;
      const hold = activates ? holdOf(request, now) : null;
      if (hold) return err(hold);
      await tx
        .update(identityDocuments)
        .set({ verifiedInPerson: true })
        .where(and(eq(identityDocuments.requestId, request.id), isNull(identityDocuments.purgedAt)));
      const actor = { kind: 'staff' as const, id: staff.staffId, ip: staff.ip };
      if (activates) {
        const activated = await completeActivation(tx, links, request, actor, now, { approvedInPerson: true });
        return activated.ok ? ok({ ...activated.value, activated: true }) : activated;
      }
      // The operator's policy leaves activation to the subscriber: the card is handed over, as if delivered.
      const delivered = await applyRequestEvent(tx, request, { type: 'deliver' }, actor, now, {
        approvedInPerson: true,
      });
      if (!delivered.ok) return err('activation.not_ready' as const);
      await noticeRequestUpdate(tx, links, request, 'delivered', {});
      const [line] = await tx.select({ msisdn: lines.msisdn }).from(lines).where(eq(lines.id, request.lineId));
      return ok({ msisdn: line?.msisdn ?? '', activated: false });
    },
  );
}
