export type Email = { to: string; subject: string; text: string; idempotencyKey: string };

/** Outgoing e-mail. The idempotency key becomes the Message-ID, so a retried send can be recognised. */
export interface Mailer {
  send(email: Email): Promise<void>;
}
