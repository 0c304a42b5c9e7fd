import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { allowanceUsed, takeAllowance } from '../limits/allowances.ts';
import type { StaffActor } from '../requests/staff-step.ts';
import { alertStaff } from '../staff/staff-alerts.ts';

/** Wrong documents shown at a counter for one line in an hour before its check is held for the rest of the hour. */
const DOCUMENT_CHECKS = 3;
const wrongDocuments = (lineId: string) => ({
  name: `counter-documents:${lineId}`,
  limit: DOCUMENT_CHECKS,
  windowMs: 3_600_000,
});

/**
 * A wrong document at the counter: audited, and counted on the line; the one that uses up the
 * hour's allowance holds the line's check and tells the operator's administrators, since
 * someone may be trying passports one after another.
 */
export async function wrongDocumentShown(tx: Tx, staff: StaffActor, lineId: string, docType: string, now: Date) {
  await appendAudit(
    tx,
    {
      operatorId: staff.operatorId,
      actorKind: 'staff',
      actorId: staff.staffId,
      action: 'counter.identity_mismatch',
      targetKind: 'line',
      targetId: lineId,
      ip: staff.ip,
      data: { docType },
    },
    now,
  );
  const counted = await takeAllowance(tx, wrongDocuments(lineId), now);
  if (counted.used < DOCUMENT_CHECKS) return;
  const [line] = await tx.select({ msisdn: lines.msisdn }).from(lines).where(eq(lines.id, lineId));
  await alertStaff(
    tx,
    staff.operatorId,
    ['admin'],
    {
      subject: 'email.documentsHeld.subject',
      body: 'email.documentsHeld.body',
      values: { msisdn: line?.msisdn ?? '', n: DOCUMENT_CHECKS, until: counted.retryAt.toISOString().slice(11, 16) },
    },
    `documents-held:${lineId}:${counted.retryAt.toISOString()}`,
  );
}

/** Whether the line's counter check is held: the hour's allowance of wrong documents is used up. */
export async function documentCheckHeld(tx: Tx, lineId: string, now: Date): Promise<boolean> {
  return !(await allowanceUsed(tx, wrongDocuments(lineId), now)).allowed;
}
