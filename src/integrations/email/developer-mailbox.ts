import type { Mailer } from './mailer.ts';

/**
 * Used when no SMTP server is configured (development and demo): nothing leaves the machine,
 * and the delivered messages stay readable on the developer mailbox page, which lists the
 * outbox's e-mail messages.
 */
export const developerMailbox: Mailer = { send: async () => {} };
