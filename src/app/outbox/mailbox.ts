import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema/system.ts';
import type { OutboxMessages } from './outbox.ts';

export type MailboxMessage = OutboxMessages['email.send'] & {
  id: number;
  status: 'pending' | 'sent' | 'dead';
  createdAt: Date;
};

/** The operator's latest e-mails from the outbox, for the developer mailbox of demo installs. */
export async function latestEmails(db: Db, operatorId: string, limit = 50): Promise<MailboxMessage[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.operatorId, operatorId), eq(outbox.topic, 'email.send')))
    .orderBy(desc(outbox.id))
    .limit(limit);
  return rows.map((r) => ({
    ...(r.payload as OutboxMessages['email.send']),
    id: r.id,
    status: r.status,
    createdAt: r.createdAt,
  }));
}
