import type { FastifyInstance } from 'fastify';
import { latestMessages } from '../../app/outbox/mailbox.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { MailboxPage } from './mailbox-page.tsx';

/** Registered in demo mode only: the developer mailbox. */
export async function mailboxRoutes(
  app: FastifyInstance,
  { assets, demo, db }: { assets: Assets; demo: boolean; db: Db },
) {
  app.get('/dev/mailbox', async (request, reply) => {
    const messages = await latestMessages(db, request.operator.id);
    return sendPage(reply, <MailboxPage ctx={pageContext(request, assets, demo)} messages={messages} />);
  });
}
