import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sandboxPayments } from '../../db/schema/sandbox.ts';
import { hasValidLuhn } from '../../domain/luhn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import {
  type GatewayPayment,
  GatewayUnavailable,
  type PaymentGateway,
  type WebhookProblem,
} from './payment-gateway.ts';

/** Test cards, as real gateways publish them; any other number passing the Luhn check succeeds. */
export const SANDBOX_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  challenge: '4000000000003220',
} as const;
/** The one-time code the sandbox's 3-D Secure page accepts. */
export const SANDBOX_3DS_CODE = '123456';
/** Notifications older than this are refused, so a captured one cannot be replayed later. */
const WEBHOOK_TOLERANCE_S = 300;

export type WebhookTransport = (body: string, signature: string) => Promise<{ statusCode: number }>;

export type SandboxOptions = {
  db: Db;
  webhookSecret: string;
  /** Simulated network latency of each API call, in ms (uniform between the two). */
  latencyMs?: [number, number];
  /** Share of API calls that fail as if the gateway were down (0–1). */
  failureRate?: number;
  /** Delays between webhook delivery attempts, in ms; the last failure gives up. */
  webhookRetryMs?: number[];
  /** A hosted page not finished within this long expires, as real gateways' sessions do. */
  checkoutTimeoutMs?: number;
  random?: () => number;
};

export type CardInput = { number: string; expiry: string; cvc: string };
export type CardProblem = 'sandbox.card_number' | 'sandbox.card_expiry' | 'sandbox.card_cvc';

type Row = typeof sandboxPayments.$inferSelect;

const toPayment = (r: Row): GatewayPayment => ({
  ref: r.ref,
  status: r.status,
  amountMinor: r.amountMinor,
  currency: r.currency,
  method: r.method,
  failureReason: r.failureReason,
  cardLast4: r.cardLast4,
  refundedMinor: r.refundedMinor,
});

/**
 * A payment gateway that runs inside simdesk for development, demos and tests, and behaves like
 * a real one: a hosted payment page with test cards and a 3-D Secure step, an e-wallet, latency
 * and outages on its API, idempotency keys, refunds, and HMAC-SHA256 signed notifications with
 * a timestamp, retried until the receiver accepts them.
 */
export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';
  /** Its hosted pages are served by simdesk itself, on the host the payer is using. */
  readonly redirectOrigins = [];
  private readonly deliveries = new Set<Promise<void>>();
  private transport: WebhookTransport | null = null;

  constructor(private readonly options: SandboxOptions) {}

  /** Where notifications go; set once the receiving app exists. */
  connect(transport: WebhookTransport): void {
    this.transport = transport;
  }

  async createPayment(input: Parameters<PaymentGateway['createPayment']>[0]) {
    await this.network();
    const ref = `sbx_${randomBytes(12).toString('hex')}`;
    await this.options.db
      .insert(sandboxPayments)
      .values({ ref, ...input })
      .onConflictDoNothing({ target: sandboxPayments.idempotencyKey });
    const [row] = await this.options.db
      .select()
      .from(sandboxPayments)
      .where(eq(sandboxPayments.idempotencyKey, input.idempotencyKey));
    const payment = row as Row;
    // The hosted page is served by this very app, on the host the payer came from.
    return { ref: payment.ref, checkoutUrl: `${new URL(payment.returnUrl).origin}/sandbox/pay/${payment.ref}` };
  }

  async retrieve(ref: string): Promise<GatewayPayment | null> {
    await this.network();
    const row = await this.row(ref);
    return row ? toPayment(row) : null;
  }

  /** The hosted page's record of a payment; one left unfinished past the timeout has expired. */
  async row(ref: string, now = new Date()): Promise<Row | undefined> {
    const [row] = await this.options.db.select().from(sandboxPayments).where(eq(sandboxPayments.ref, ref));
    const timeout = this.options.checkoutTimeoutMs ?? 30 * 60_000;
    const open = row?.status === 'pending' || row?.status === 'requires_action';
    if (row && open && now.getTime() - row.createdAt.getTime() >= timeout)
      return this.complete(ref, 'expired', undefined, now);
    return row;
  }

  async refund({ ref, amountMinor, idempotencyKey }: { ref: string; amountMinor: number; idempotencyKey: string }) {
    await this.network();
    const [row] = await this.options.db
      .update(sandboxPayments)
      .set({
        refundedMinor: sql`${sandboxPayments.refundedMinor} + ${amountMinor}`,
        refundKeys: sql`array_append(${sandboxPayments.refundKeys}, ${idempotencyKey})`,
      })
      .where(
        and(
          eq(sandboxPayments.ref, ref),
          eq(sandboxPayments.status, 'succeeded'),
          sql`not (${idempotencyKey} = any(${sandboxPayments.refundKeys}))`,
          sql`${sandboxPayments.refundedMinor} + ${amountMinor} <= ${sandboxPayments.amountMinor}`,
        ),
      )
      .returning();
    const current = row ?? (await this.row(ref));
    if (!current) throw Object.assign(new Error(`no sandbox payment ${ref}`), { retryable: false });
    if (!current.refundKeys.includes(idempotencyKey))
      throw Object.assign(new Error(`payment ${ref} cannot be refunded by ${amountMinor}`), { retryable: false });
    return toPayment(current);
  }

  async readNotification(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
    now = new Date(),
  ): Promise<Result<GatewayPayment, WebhookProblem>> {
    const signature = headers['x-signature'];
    return this.verified(rawBody, typeof signature === 'string' ? signature : undefined, now);
  }

  /** A notification is believed only with a valid HMAC-SHA256 signature less than five minutes old. */
  private verified(rawBody: string, signature: string | undefined, now: Date): Result<GatewayPayment, WebhookProblem> {
    const parts = Object.fromEntries((signature ?? '').split(',').map((p) => p.split('=') as [string, string]));
    const timestamp = Number(parts.t);
    if (!parts.t || !parts.v1 || !Number.isInteger(timestamp)) return err('webhook.bad_signature');
    const expected = Buffer.from(this.sign(parts.t, rawBody));
    const given = Buffer.from(parts.v1);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return err('webhook.bad_signature');
    if (Math.abs(now.getTime() / 1000 - timestamp) > WEBHOOK_TOLERANCE_S) return err('webhook.stale');
    try {
      const event = JSON.parse(rawBody) as { type?: string; payment?: GatewayPayment };
      if (event.type !== 'payment.updated' || typeof event.payment?.ref !== 'string') return err('webhook.malformed');
      return ok(event.payment);
    } catch {
      return err('webhook.malformed');
    }
  }

  /** The signature header a notification carries: `t=<unix seconds>,v1=<hex HMAC of "t.body">`. */
  signatureHeader(body: string, now = new Date()): string {
    const t = String(Math.floor(now.getTime() / 1000));
    return `t=${t},v1=${this.sign(t, body)}`;
  }

  /** The hosted card form was sent: test cards decide the outcome, the challenge card asks for a code. */
  async payByCard(
    ref: string,
    card: CardInput,
    now = new Date(),
  ): Promise<Result<Row, Partial<Record<keyof CardInput, CardProblem>>>> {
    const number = card.number.replace(/[\s-]/g, '');
    const problems: Partial<Record<keyof CardInput, CardProblem>> = {};
    if (!/^\d{12,19}$/.test(number) || !hasValidLuhn(number)) problems.number = 'sandbox.card_number';
    const [, mm, yy] = card.expiry.trim().match(/^(\d{2})\s*\/\s*(\d{2})$/) ?? [];
    const expiresEnd = mm && yy ? new Date(Date.UTC(2000 + Number(yy), Number(mm), 1)) : null;
    if (!expiresEnd || Number(mm) < 1 || Number(mm) > 12 || expiresEnd <= now) problems.expiry = 'sandbox.card_expiry';
    if (!/^\d{3,4}$/.test(card.cvc.trim())) problems.cvc = 'sandbox.card_cvc';
    if (Object.keys(problems).length > 0) return err(problems);
    const last4 = number.slice(-4);
    if (number === SANDBOX_CARDS.challenge)
      return ok(await this.update(ref, { status: 'requires_action', cardLast4: last4 }));
    const failure =
      number === SANDBOX_CARDS.declined
        ? 'card_declined'
        : number === SANDBOX_CARDS.insufficientFunds
          ? 'insufficient_funds'
          : null;
    return ok(await this.complete(ref, failure, last4, now));
  }

  async confirmChallenge(ref: string, code: string, now = new Date()): Promise<Row> {
    return this.complete(ref, code.trim() === SANDBOX_3DS_CODE ? null : 'authentication_failed', undefined, now);
  }

  async decideWallet(ref: string, approve: boolean, now = new Date()): Promise<Row> {
    return this.complete(ref, approve ? null : 'wallet_declined', undefined, now);
  }

  /** Waits for every notification under way, for tests and a clean shutdown. */
  async flushWebhooks(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private async complete(ref: string, failure: string | null, cardLast4: string | undefined, now: Date) {
    const row = await this.update(ref, {
      status: failure ? 'failed' : 'succeeded',
      failureReason: failure,
      completedAt: now,
      ...(cardLast4 && { cardLast4 }),
    });
    this.notify(toPayment(row));
    return row;
  }

  /** Only an open payment changes; a finished one is returned as it is. */
  private async update(ref: string, values: Partial<Row>): Promise<Row> {
    const [row] = await this.options.db
      .update(sandboxPayments)
      .set(values)
      .where(and(eq(sandboxPayments.ref, ref), sql`${sandboxPayments.status} in ('pending', 'requires_action')`))
      .returning();
    const [current] = row
      ? [row]
      : await this.options.db.select().from(sandboxPayments).where(eq(sandboxPayments.ref, ref));
    if (!current) throw new Error(`no sandbox payment ${ref}`);
    return current;
  }

  private notify(payment: GatewayPayment): void {
    const delivery = this.deliver(JSON.stringify({ type: 'payment.updated', payment })).finally(() =>
      this.deliveries.delete(delivery),
    );
    this.deliveries.add(delivery);
  }

  private async deliver(body: string): Promise<void> {
    const delays = this.options.webhookRetryMs ?? [1_000, 5_000, 30_000, 120_000];
    for (const delay of [0, ...delays]) {
      if (delay) await sleep(delay);
      const answer = await this.transport?.(body, this.signatureHeader(body)).catch(() => null);
      if (answer && answer.statusCode < 300) return;
    }
  }

  private async network(): Promise<void> {
    const { latencyMs = [0, 0], failureRate = 0, random = Math.random } = this.options;
    const wait = latencyMs[0] + random() * (latencyMs[1] - latencyMs[0]);
    if (wait > 0) await sleep(wait);
    if (random() < failureRate) throw new GatewayUnavailable('sandbox gateway unavailable (simulated outage)');
  }

  private sign(timestamp: string, body: string): string {
    return createHmac('sha256', this.options.webhookSecret).update(`${timestamp}.${body}`).digest('hex');
  }
}

/** The sandbox as `simdesk serve` runs it: a little latency, like a real gateway across the internet. */
export const sandboxGateway = (settings: { paymentWebhookSecret: string; env: string }, db: Db) =>
  new SandboxGateway({
    db,
    webhookSecret: settings.paymentWebhookSecret,
    latencyMs: settings.env === 'test' ? [0, 0] : [50, 400],
  });
