import { sendPasswordReset } from '../app/auth/password-reset.ts';
import type { Links } from '../app/operators/links.ts';
import type { Db } from '../db/client.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics that act on subscriber accounts. */
export const accountHandlers = (db: Db, links: Links): Pick<OutboxHandlers, 'password.reset'> => ({
  'password.reset': (asked) => sendPasswordReset(db, links, asked),
});
