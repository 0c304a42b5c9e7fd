import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sandboxPayments } from '../../db/schema/sandbox.ts';
import { hasValidLuhn } from '../../domain/luhn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import {
  NotificationSender,
  signatureHeader,
  verifySignature,
  type WebhookTransport,
} from '../signed-notifications.ts';
import { crossNetwork, type SimulatedNetwork } from '../simulated-network.ts';
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

export type SandboxOptions = SimulatedNetwork & {
  db: Db;
  webhookSecret: string;
  /** Delays between webhook delivery attempts, in ms; the last failure gives up. */
  webhookRetryMs?: number[];
  /** A hosted page not finished within this long expires, as real gateways' sessions do. */
  checkoutTimeoutMs?: number;
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
  private readonly notifications: NotificationSender;

  constructor(private readonly options: SandboxOptions) {
    this.notifications = new NotificationSender(options.webhookSecret, options.webhookRetryMs);
  }

  /**
   * Where notifications go; set once the receiving app exists. Outcomes whose notification was
   * still owed when a process died (it lived in that process's memory) are sent again now, as a
   * real provider keeps retrying until the merchant answers.
   */
  connect(transport: WebhookTransport): void {
    this.notifications.connect(transport);
    void this.resendOwed();
  }

  /** Sends again every finished payment's notification simdesk has not accepted yet. */
  async resendOwed(): Promise<number> {
    const owed = await this.options.db
      .select()
      .from(sandboxPayments)
      .where(and(isNull(sandboxPayments.notifiedAt), sql`${sandboxPayments.status} in ('succeeded', 'failed')`));
    for (const row of owed) this.notify(toPayment(row));
    return owed.length;
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

  /** A notification is believed only with a valid signature less than five minutes old. */
  private verified(rawBody: string, signature: string | undefined, now: Date): Result<GatewayPayment, WebhookProblem> {
    const genuine = verifySignature(this.options.webhookSecret, rawBody, signature, now);
    if (!genuine.ok) return genuine;
    try {
      const event = JSON.parse(rawBody) as { type?: string; payment?: GatewayPayment };
      if (event.type !== 'payment.updated' || typeof event.payment?.ref !== 'string') return err('webhook.malformed');
      return ok(event.payment);
    } catch {
      return err('webhook.malformed');
    }
  }

  /** The signature header a notification carries (see signed-notifications.ts). */
  signatureHeader(body: string, now = new Date()): string {
    return signatureHeader(this.options.webhookSecret, body, now);
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
  flushWebhooks(): Promise<void> {
    return this.notifications.flush();
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
    this.notifications.send(JSON.stringify({ type: 'payment.updated', payment }), () =>
      this.options.db
        .update(sandboxPayments)
        .set({ notifiedAt: new Date() })
        .where(and(eq(sandboxPayments.ref, payment.ref), isNull(sandboxPayments.notifiedAt))),
    );
  }

  private network(): Promise<void> {
    return crossNetwork(this.options, () => new GatewayUnavailable('sandbox gateway unavailable (simulated outage)'));
  }
}

/** The sandbox as `simdesk serve` runs it: a little latency, like a real gateway across the internet. */
export const sandboxGateway = (settings: { paymentWebhookSecret: string; env: string }, db: Db) =>
  new SandboxGateway({
    db,
    webhookSecret: settings.paymentWebhookSecret,
    latencyMs: settings.env === 'test' ? [0, 0] : [50, 400],
  });
