import { err, ok, type Result } from '../../domain/result.ts';
import {
  type GatewayMethod,
  type GatewayPayment,
  GatewayUnavailable,
  type PaymentGateway,
  type WebhookProblem,
} from './payment-gateway.ts';

export type YookassaOptions = {
  shopId: string;
  secretKey: string;
  /** https://api.yookassa.ru/v3 */
  apiUrl: string;
  /** Where the hosted payment page lives (the form-action origin browsers must allow). */
  checkoutOrigin: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/** A payment as YooKassa's API answers it (the fields simdesk reads). */
type YookassaPayment = {
  id: string;
  status: 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
  amount: { value: string; currency: string };
  refunded_amount?: { value: string; currency: string };
  confirmation?: { type: string; confirmation_url?: string };
  payment_method?: { type: string; card?: { last4?: string } };
  cancellation_details?: { party: string; reason: string };
};

/** Why YooKassa cancelled a payment, in the words the pay page explains. */
const REASONS: Record<string, string> = {
  insufficient_funds: 'insufficient_funds',
  '3d_secure_failed': 'authentication_failed',
  expired_on_confirmation: 'expired',
  canceled_by_merchant: 'expired',
};

const toMinor = (value: string) => Math.round(Number(value) * 100);
const toValue = (minor: number) => (minor / 100).toFixed(2);

/**
 * YooKassa (ЮKassa), as its published API v3 works: payments with a redirect confirmation (the
 * payer pays on YooKassa's page), captured at once, an Idempotence-Key on every call that
 * creates something, refunds, and HTTP notifications. Notifications are not signed, so one is
 * believed only by fetching the payment it names back from the API.
 */
export class YookassaGateway implements PaymentGateway {
  readonly name = 'yookassa';
  readonly redirectOrigins: readonly string[];

  constructor(private readonly options: YookassaOptions) {
    this.redirectOrigins = [options.checkoutOrigin];
  }

  async createPayment(input: Parameters<PaymentGateway['createPayment']>[0]) {
    const payment = await this.call<YookassaPayment>('POST', '/payments', input.idempotencyKey, {
      amount: { value: toValue(input.amountMinor), currency: input.currency },
      capture: true,
      confirmation: { type: 'redirect', return_url: input.returnUrl },
      payment_method_data: { type: input.method === 'ewallet' ? 'yoo_money' : 'bank_card' },
      description: input.description.slice(0, 128),
      metadata: input.metadata,
    });
    const checkoutUrl = payment.confirmation?.confirmation_url;
    if (!checkoutUrl)
      throw Object.assign(new Error(`YooKassa gave payment ${payment.id} no page`), { retryable: false });
    return { ref: payment.id, checkoutUrl };
  }

  async retrieve(ref: string): Promise<GatewayPayment | null> {
    try {
      return this.toPayment(await this.call<YookassaPayment>('GET', `/payments/${encodeURIComponent(ref)}`));
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  async refund({ ref, amountMinor, idempotencyKey }: { ref: string; amountMinor: number; idempotencyKey: string }) {
    const payment = await this.retrieve(ref);
    if (!payment) throw Object.assign(new Error(`no YooKassa payment ${ref}`), { retryable: false });
    await this.call('POST', '/refunds', idempotencyKey, {
      payment_id: ref,
      amount: { value: toValue(amountMinor), currency: payment.currency },
    });
    return (await this.retrieve(ref)) as GatewayPayment;
  }

  async readNotification(rawBody: string): Promise<Result<GatewayPayment, WebhookProblem>> {
    let id: unknown;
    try {
      const event = JSON.parse(rawBody) as { type?: string; object?: { id?: unknown } };
      if (event.type !== 'notification') return err('webhook.malformed');
      id = event.object?.id;
    } catch {
      return err('webhook.malformed');
    }
    if (typeof id !== 'string' || !/^[0-9a-f-]{20,64}$/i.test(id)) return err('webhook.malformed');
    const payment = await this.retrieve(id);
    return payment ? ok(payment) : err('webhook.unknown');
  }

  private toPayment(p: YookassaPayment): GatewayPayment {
    const failed = p.status === 'canceled';
    return {
      ref: p.id,
      status: p.status === 'succeeded' ? 'succeeded' : failed ? 'failed' : 'pending',
      amountMinor: toMinor(p.amount.value),
      currency: p.amount.currency,
      method: p.payment_method?.type === 'yoo_money' ? 'ewallet' : ('card' satisfies GatewayMethod),
      failureReason: failed ? (REASONS[p.cancellation_details?.reason ?? ''] ?? 'card_declined') : null,
      cardLast4: p.payment_method?.card?.last4 ?? null,
      refundedMinor: p.refunded_amount ? toMinor(p.refunded_amount.value) : 0,
    };
  }

  /** One API call: Basic authentication, an Idempotence-Key on writes, a time limit. */
  private async call<T>(method: 'GET' | 'POST', path: string, idempotenceKey?: string, body?: unknown): Promise<T> {
    const { shopId, secretKey, apiUrl, timeoutMs = 15_000, fetch: send = fetch } = this.options;
    let response: Response;
    try {
      response = await send(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${shopId}:${secretKey}`).toString('base64')}`,
          ...(idempotenceKey ? { 'idempotence-key': idempotenceKey } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new GatewayUnavailable(`YooKassa did not answer: ${(error as Error).message}`);
    }
    if (response.status >= 500 || response.status === 429)
      throw new GatewayUnavailable(`YooKassa answered ${response.status}`);
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { code?: string; description?: string };
      throw Object.assign(new Error(`YooKassa refused ${method} ${path}: ${problem.code ?? response.status}`), {
        retryable: false,
        status: response.status,
      });
    }
    return (await response.json()) as T;
  }
}
