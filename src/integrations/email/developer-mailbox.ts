import type { SmsSender } from '../sms/sms-sender.ts';
import type { Mailer } from './mailer.ts';

/**
 * Used when no SMTP server or SMSC is configured (development and demo): nothing leaves the
 * machine, and the delivered messages stay readable on the developer mailbox page, which lists
 * the outbox's e-mail and SMS messages.
 */
export const developerMailbox: Mailer & SmsSender = { send: async () => {} };
