import type { Mailer } from '../integrations/email/mailer.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics delivered as messages to people. */
export function messageHandlers(mailer: Mailer): Pick<OutboxHandlers, 'email.send'> {
  return {
    'email.send': (email, { idempotencyKey }) => mailer.send({ ...email, idempotencyKey }),
  };
}
