import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { Email, Mailer } from './mailer.ts';

/** SMTP delivery through nodemailer; 4xx answers and connection failures are retryable, 5xx are not. */
export function smtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = createTransport(url);
  const domain = from.match(/@([^>\s]+)/)?.[1] ?? 'simdesk.localhost';
  return {
    async send({ to, subject, text, idempotencyKey }: Email) {
      const id = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
      try {
        await transport.sendMail({ from, to, subject, text, messageId: `<${id}@${domain}>` });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        throw Object.assign(error as Error, { retryable: !(code && code >= 500) });
      }
    },
    close: () => transport.close(),
  };
}
