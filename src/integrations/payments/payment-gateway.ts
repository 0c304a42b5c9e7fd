import type { Result } from '../../domain/result.ts';

export type GatewayMethod = 'card' | 'ewallet';
export type GatewayStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed';

/** A payment as the gateway reports it. */
export type GatewayPayment = {
  ref: string;
  status: GatewayStatus;
  amountMinor: number;
  currency: string;
  method: GatewayMethod;
  failureReason: string | null;
  cardLast4: string | null;
  refundedMinor: number;
};

export type WebhookProblem = 'webhook.bad_signature' | 'webhook.stale' | 'webhook.malformed' | 'webhook.unknown';

/** An error the caller may retry later (the gateway is down or slow), as opposed to a refusal. */
export class GatewayUnavailable extends Error {
  readonly retryable = true;
}

/**
 * What simdesk needs from a payment provider: a hosted payment page (card data never touch
 * simdesk), the payment's state, refunds, and signed notifications. Every call that moves money
 * takes an idempotency key, so a retried call never charges or refunds twice.
 */
export interface PaymentGateway {
  readonly name: string;
  /**
   * Origins of the hosted pages the payer is sent to. Browsers apply the form-action policy to
   * the redirect that follows the pay form, so the site's Content-Security-Policy lists them.
   */
  readonly redirectOrigins: readonly string[];
  createPayment(input: {
    idempotencyKey: string;
    amountMinor: number;
    currency: string;
    method: GatewayMethod;
    description: string;
    /** Where the hosted page sends the payer back when done. */
    returnUrl: string;
    metadata: Record<string, string>;
  }): Promise<{ ref: string; checkoutUrl: string }>;
  retrieve(ref: string): Promise<GatewayPayment | null>;
  refund(input: { ref: string; amountMinor: number; idempotencyKey: string }): Promise<GatewayPayment>;
  /**
   * Reads a notification the gateway sent. Nothing in it is believed until it is proven to come
   * from the gateway: by its signature and age, or by asking the gateway for the payment back.
   */
  readNotification(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
    now?: Date,
  ): Promise<Result<GatewayPayment, WebhookProblem>>;
}
