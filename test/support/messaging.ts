import type { Database } from '../../src/db/client.ts';
import { smtpMailer } from '../../src/integrations/email/smtp-mailer.ts';
import { smppSender } from '../../src/integrations/sms/smpp-sender.ts';
import { accountHandlers } from '../../src/jobs/account-handlers.ts';
import { emailHandlers, smsHandlers } from '../../src/jobs/message-handlers.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { startSmppSink } from './smpp-sink.ts';
import { startSmtpSink } from './smtp-sink.ts';
import { testLinks } from './test-config.ts';

/**
 * Real message delivery for a test: an in-process SMTP server and SMSC, and an outbox worker
 * that sends e-mail and SMS (and works on password resets) through the production adapters.
 */
export async function startMessaging(database: Database) {
  const smtp = await startSmtpSink();
  const smsc = await startSmppSink();
  const mailer = smtpMailer(smtp.url, 'Volna <no-reply@volna.example>');
  const sms = smppSender(smsc.url, 'Volna');
  const worker = outboxWorker({
    db: database.db,
    handlers: { ...accountHandlers(database.db, testLinks), ...emailHandlers(mailer), ...smsHandlers(sms) },
  });
  return {
    smtp,
    smsc,
    worker,
    close: async () => {
      mailer.close();
      await sms.close();
      await smsc.close();
      await smtp.close();
    },
  };
}
