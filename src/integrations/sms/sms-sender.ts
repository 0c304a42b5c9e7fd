export type Sms = { to: string; text: string; idempotencyKey: string };

/** Outgoing SMS to a subscriber's phone (never used for the line being replaced). */
export interface SmsSender {
  send(sms: Sms): Promise<void>;
}
