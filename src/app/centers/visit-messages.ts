import { createHmac } from 'node:crypto';
import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { operators } from '../../db/schema/operators.ts';
import { appointments } from '../../db/schema/requests.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import { formatDateTime, translator } from '../../i18n/translate.ts';
import type { Links } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';

/** What a visitor is told of their visit, and the link they manage it by. */

export type Appointment = typeof appointments.$inferSelect;

/**
 * The secret in a visit's cancel-or-move link: signed from the visit's id, so the reminder can
 * carry the same link again; only its hash is stored, to find the visit by it.
 */
export const manageToken = (links: Links, visitId: string) =>
  createHmac('sha256', links.secret).update(`visit:${visitId}`).digest('base64url');

type Message = 'confirm' | 'moved' | 'cancelled' | 'reminder';

/**
 * Tells the visitor by SMS (and e-mail when given), in their language, with the center's
 * address, the time in the center's zone, the ticket and what to bring, and the link to cancel
 * or move the visit. The outbox key names the visit, the message and the time, so a retry
 * never sends it twice.
 */
export async function tellVisitor(tx: Tx, links: Links, visit: Appointment, message: Message, now: Date) {
  const [row] = await tx
    .select({ center: serviceCenters, operator: operators })
    .from(serviceCenters)
    .innerJoin(operators, eq(operators.id, serviceCenters.operatorId))
    .where(eq(serviceCenters.id, visit.centerId));
  if (!row) return;
  const { center, operator } = row;
  const t = translator(visit.locale);
  const values = {
    operator: operator.name[visit.locale],
    center: center.name[visit.locale],
    address: center.address[visit.locale],
    when: formatDateTime(visit.locale, visit.startsAt, center.timeZone),
    ticket: visit.ticket,
    link: `${links.base(operator)}/visits/${manageToken(links, visit.id)}`,
    bring: t(operator.onlineReplacement === 'citizens_only' ? 'centers.bring.foreigners' : 'centers.bring'),
    phone: formatMsisdn(operator.supportPhone),
  };
  const key = `visit-${message}:${visit.id}:${visit.startsAt.getTime()}:${now.getTime()}`;
  await enqueue(tx, {
    operatorId: visit.operatorId,
    topic: 'sms.send',
    payload: { to: visit.contactPhone, text: t(`visit.${message}.sms`, values) },
    idempotencyKey: `${key}:sms`,
  });
  if (visit.contactEmail)
    await enqueue(tx, {
      operatorId: visit.operatorId,
      topic: 'email.send',
      payload: {
        to: visit.contactEmail,
        subject: t(`visit.${message}.subject`, values),
        text: t(`visit.${message}.email`, values),
      },
      idempotencyKey: `${key}:email`,
    });
}

/**
 * The day-before reminder: every booked visit starting within 24 hours that has not had one.
 * Rows are claimed with SKIP LOCKED, so several instances running this never remind twice.
 */
export async function sendVisitReminders(db: Db, links: Links, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(appointments)
      .where(
        and(
          eq(appointments.status, 'booked'),
          isNull(appointments.reminderSentAt),
          gt(appointments.startsAt, now),
          lte(appointments.startsAt, new Date(now.getTime() + 86_400_000)),
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
    for (const visit of due) await tellVisitor(tx, links, visit, 'reminder', now);
    if (due.length > 0)
      await tx
        .update(appointments)
        .set({ reminderSentAt: now })
        .where(
          inArray(
            appointments.id,
            due.map((v) => v.id),
          ),
        );
    return due.length;
  });
}
