import type { Mailer } from '../integrations/email/mailer.ts';
import type { SmsSender } from '../integrations/sms/sms-sender.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics delivered as messages to people. */
export const emailHandlers = (mailer: Mailer): Pick<OutboxHandlers, 'email.send'> => ({
  'email.send': (email, { idempotencyKey }) => mailer.send({ ...email, idempotencyKey }),
});

export const smsHandlers = (sender: SmsSender): Pick<OutboxHandlers, 'sms.send'> => ({
  'sms.send': (sms, { idempotencyKey }) => sender.send({ ...sms, idempotencyKey }),
});
