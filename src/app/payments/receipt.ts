import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { LocalizedText } from '../../db/schema/columns.ts';
import { operators } from '../../db/schema/operators.ts';
import { payments } from '../../db/schema/requests.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import type { FeeItem } from '../../domain/fees.ts';
import { ownRequest, type SubscriberActor } from '../requests/replacement-draft.ts';
import type { Payment } from './payments.ts';

/** Everything a receipt shows, read once, so the PDF is drawn from plain data. */
export type Receipt = {
  operator: { name: LocalizedText; supportPhone: string; supportEmail: string; timeZone: string };
  reference: string;
  msisdn: string;
  payer: string;
  submittedAt: Date;
  currency: string;
  items: FeeItem[];
  totalMinor: number;
  payment: Pick<Payment, 'method' | 'status' | 'providerRef' | 'succeededAt' | 'refundedAt' | 'cardLast4'> | null;
};

/** The receipt of one of the account's submitted requests: the fee, and the payment that settled it. */
export async function loadReceipt(db: Db, actor: SubscriberActor, requestId: string): Promise<Receipt | null> {
  const own = await ownRequest(db, actor, requestId);
  const submittedAt = own?.request.submittedAt;
  if (!own || !submittedAt) return null;
  const { request } = own;
  const [row] = await db
    .select({ operator: operators, payer: accounts.fullName })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .where(eq(accounts.id, request.accountId));
  if (!row) return null;
  const payment = await settlingPayment(db, request.id);
  return {
    operator: row.operator,
    reference: request.reference,
    msisdn: own.msisdn,
    payer: row.payer,
    submittedAt,
    currency: request.currency,
    items: request.feeItems,
    totalMinor: request.feeMinor,
    payment: payment ?? null,
  };
}

/** The payment that settled a request (also after its refund), newest first; who took it at a counter. */
export async function settlingPayment(db: Db, requestId: string) {
  const [payment] = await db
    .select({
      method: payments.method,
      status: payments.status,
      providerRef: payments.providerRef,
      succeededAt: payments.succeededAt,
      refundedAt: payments.refundedAt,
      cardLast4: payments.cardLast4,
      receivedBy: payments.receivedByStaffId,
    })
    .from(payments)
    .where(
      and(eq(payments.requestId, requestId), inArray(payments.status, ['succeeded', 'refund_pending', 'refunded'])),
    )
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return payment;
}
