import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema/system.ts';
import type { OutboxMessages } from './outbox.ts';

export type MailboxMessage = {
  id: number;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  /** Null once the text was redacted after delivery. */
  text: string | null;
  status: 'pending' | 'sent' | 'dead';
  createdAt: Date;
};

/** The operator's latest e-mails and SMS from the outbox, for the developer mailbox of demo installs. */
export async function latestMessages(db: Db, operatorId: string, limit = 50): Promise<MailboxMessage[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.operatorId, operatorId), inArray(outbox.topic, ['email.send', 'sms.send'])))
    .orderBy(desc(outbox.id))
    .limit(limit);
  return rows.map((r) => {
    const payload = r.payload as Partial<OutboxMessages['email.send']> & { to: string };
    return {
      id: r.id,
      channel: r.topic === 'sms.send' ? 'sms' : 'email',
      to: payload.to,
      subject: payload.subject ?? null,
      text: payload.text ?? null,
      status: r.status,
      createdAt: r.createdAt,
    };
  });
}
