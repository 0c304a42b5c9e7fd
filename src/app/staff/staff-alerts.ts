import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type StaffRole, staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { DEFAULT_LOCALE, type MessageKey, translator } from '../../i18n/translate.ts';
import { enqueue } from '../outbox/outbox.ts';

/**
 * E-mails every active member of the operator holding one of the roles, in the transaction of
 * what caused it; `key` names the occasion, so the same alert is sent once per member.
 */
export async function alertStaff(
  tx: Tx,
  operatorId: string,
  roles: StaffRole[],
  message: { subject: MessageKey; body: MessageKey; values: Record<string, string | number> },
  key: string,
): Promise<void> {
  const recipients = await tx
    .selectDistinct({ email: staffUsers.email })
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(and(eq(staffUsers.operatorId, operatorId), eq(staffUsers.active, true), inArray(staffRoles.role, roles)));
  const t = translator(DEFAULT_LOCALE);
  for (const { email } of recipients)
    await enqueue(tx, {
      operatorId,
      topic: 'email.send',
      payload: { to: email, subject: t(message.subject, message.values), text: t(message.body, message.values) },
      idempotencyKey: `${key}:${email}`,
    });
}
