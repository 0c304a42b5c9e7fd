import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { err, ok, type Result } from '../domain/result.ts';
import type { WebhookProblem } from './payments/payment-gateway.ts';

/**
 * Notifications the built-in simulators send back to simdesk, signed the way real providers
 * sign theirs: a header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. A notification is
 * believed only with a valid signature less than five minutes old, so a captured one cannot be
 * replayed later.
 */
const TOLERANCE_S = 300;

const hmac = (secret: string, timestamp: string, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, now = new Date()): string {
  const t = String(Math.floor(now.getTime() / 1000));
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export function verifySignature(
  secret: string,
  body: string,
  header: string | string[] | undefined,
  now = new Date(),
): Result<true, WebhookProblem> {
  const value = typeof header === 'string' ? header : '';
  const parts = Object.fromEntries(value.split(',').map((p) => p.split('=') as [string, string]));
  const timestamp = Number(parts.t);
  if (!parts.t || !parts.v1 || !Number.isInteger(timestamp)) return err('webhook.bad_signature');
  const expected = Buffer.from(hmac(secret, parts.t, body));
  const given = Buffer.from(parts.v1);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return err('webhook.bad_signature');
  if (Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_S) return err('webhook.stale');
  return ok(true);
}

export type WebhookTransport = (body: string, signature: string) => Promise<{ statusCode: number }>;

/** Sends signed notifications, retrying each with growing delays until the receiver accepts it or the delays run out. */
export class NotificationSender {
  private readonly deliveries = new Set<Promise<void>>();
  private transport: WebhookTransport | null = null;

  constructor(
    private readonly secret: string,
    private readonly retryMs: number[] = [1_000, 5_000, 30_000, 120_000],
  ) {}

  /** Where notifications go; set once the receiving app exists. */
  connect(transport: WebhookTransport): void {
    this.transport = transport;
  }

  /** Sends in the background; `accepted` runs once the receiver has taken it. */
  send(body: string, accepted: () => Promise<unknown> = async () => {}): void {
    const delivery = this.deliver(body)
      .then((taken) => (taken ? accepted() : undefined))
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  /** Waits for every notification under way, for tests and a clean shutdown. */
  async flush(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private async deliver(body: string): Promise<boolean> {
    for (const delay of [0, ...this.retryMs]) {
      if (delay) await sleep(delay);
      const answer = await this.transport?.(body, signatureHeader(this.secret, body)).catch(() => null);
      if (answer && answer.statusCode < 300) return true;
    }
    return false;
  }
}
