import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { Links } from '../operators/links.ts';
import { transact } from '../transact.ts';
import { act, decided, hasRole, type StaffActor, type StaffError } from './staff-step.ts';

/** Who may look into a "This wasn't me" report and settle it. */
const SETTLING_ROLES = ['reviewer'] as const;

export type FrozenRequest = {
  id: string;
  reference: string;
  msisdn: string;
  fullName: string;
  frozenAt: Date | null;
  feeMinor: number;
  paid: boolean;
  channel: string;
};

/** Requests stopped by their owner's "This wasn't me", oldest first, for staff to settle. */
export function frozenRequests(db: Db, staff: StaffActor): Promise<Result<FrozenRequest[], StaffError>> {
  return transact(db, async (tx): Promise<Result<FrozenRequest[], StaffError>> => {
    if (!(await hasRole(tx, staff, [...SETTLING_ROLES]))) return err('staff.forbidden');
    const rows = await tx
      .select({
        id: replacementRequests.id,
        reference: replacementRequests.reference,
        msisdn: lines.msisdn,
        fullName: accounts.fullName,
        frozenAt: accounts.frozenAt,
        feeMinor: replacementRequests.feeMinor,
        paidAt: replacementRequests.paidAt,
        channel: replacementRequests.channel,
      })
      .from(replacementRequests)
      .innerJoin(lines, eq(lines.id, replacementRequests.lineId))
      .innerJoin(accounts, eq(accounts.id, replacementRequests.accountId))
      .where(and(eq(replacementRequests.operatorId, staff.operatorId), eq(replacementRequests.status, 'frozen')))
      .orderBy(asc(replacementRequests.updatedAt))
      .limit(200);
    return ok(rows.map(({ paidAt, ...r }) => ({ ...r, paid: paidAt !== null })));
  });
}

/**
 * Ends the account's freeze: it was set by "This wasn't me" and lasts until the owner is known
 * again (a walk-in with the contract's passport, or staff clearing the report). The SIM-change
 * lock the report turned on stays: lifting it is the owner's own decision, with its waiting time.
 */
export async function unfreezeAccount(tx: Tx, accountId: string): Promise<void> {
  await tx.update(accounts).set({ frozenAt: null }).where(eq(accounts.id, accountId));
}

/**
 * Confirmed fraud: the request was not the owner's. It is cancelled and a fee paid for it
 * refunded; the account stays frozen with its SIM-change lock on, so the owner replaces the SIM at
 * a counter with the contract's passport. The owner is told.
 */
export function confirmFraud(db: Db, links: Links, staff: StaffActor, requestId: string, now = new Date()) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.fraud_confirmed',
    { roles: [...SETTLING_ROLES], decide: decided({ type: 'cancel' }), notice: () => 'fraud_confirmed' },
    now,
  );
}

/**
 * The report is cleared (the owner confirmed the request was theirs after all): the request goes
 * back to review, the account is unfrozen, the owner is told. The SIM-change lock stays on and
 * holds the request until the owner lifts it.
 */
export function clearReport(db: Db, links: Links, staff: StaffActor, requestId: string, now = new Date()) {
  return act(
    db,
    links,
    staff,
    requestId,
    'request.report_cleared',
    {
      roles: [...SETTLING_ROLES],
      decide: decided({ type: 'unfreeze' }),
      record: (request, _detail, tx) => unfreezeAccount(tx, request.accountId),
      notice: () => 'unfrozen',
    },
    now,
  );
}
