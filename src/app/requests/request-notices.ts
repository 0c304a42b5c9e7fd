import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import { translator, type Values } from '../../i18n/translate.ts';
import type { Links } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { ReplacementRequest } from './replacement-draft.ts';

/** The steps a subscriber hears about, each with one text for e-mail and SMS. */
export type RequestUpdate =
  | 'paid'
  | 'needs_info'
  | 'approved'
  | 'esim_ready'
  | 'rejected'
  | 'dispatched'
  | 'out_for_delivery'
  | 'delivery_missed'
  | 'returned'
  | 'ready_for_pickup'
  | 'delivered'
  | 'activated'
  | 'cancelled'
  | 'fraud_confirmed'
  | 'unfrozen';

/**
 * Tells the subscriber that their request moved on, by e-mail and on the second phone, in their
 * language, through the outbox of the transaction that moved it. A finished SIM change also goes
 * to the number itself, as every SIM change must.
 */
export async function noticeRequestUpdate(
  tx: Tx,
  links: Links,
  request: ReplacementRequest,
  update: RequestUpdate,
  values: Values = {},
  /** What makes this notice unique; the request's version unless the same step can recur without changing it. */
  occasion: string = String(request.version),
): Promise<void> {
  const [row] = await tx
    .select({
      account: accounts,
      operatorName: operators.name,
      address: { publicUrl: operators.publicUrl, hostnames: operators.hostnames },
      msisdn: lines.msisdn,
    })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .innerJoin(lines, eq(lines.id, request.lineId))
    .where(eq(accounts.id, request.accountId));
  if (!row) return;
  const t = translator(row.account.locale);
  const all = {
    operator: row.operatorName[row.account.locale],
    reference: request.reference,
    msisdn: formatMsisdn(row.msisdn),
    ...values,
  };
  const text = t(`notify.update.${update}`, all);
  const key = (to: string) => `request-update:${request.id}:${update}:${occasion}:${to}`;
  if (row.account.email)
    await enqueue(tx, {
      operatorId: request.operatorId,
      topic: 'email.send',
      payload: {
        to: row.account.email,
        subject: t('notify.update.subject', all),
        text: `${text}\n\n${t('notify.update.link', { link: `${links.base(row.address)}/requests/${request.id}` })}`,
      },
      idempotencyKey: key('email'),
    });
  const phones = [row.account.secondPhone, update === 'activated' ? row.msisdn : null].filter(
    (p): p is string => p !== null,
  );
  for (const to of phones)
    await enqueue(tx, {
      operatorId: request.operatorId,
      topic: 'sms.send',
      payload: { to, text: `${all.operator}: ${text}` },
      idempotencyKey: key(to),
    });
}
