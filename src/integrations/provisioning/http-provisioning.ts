import { createHmac } from 'node:crypto';
import { type Provisioning, ProvisioningError } from './provisioning.ts';

export type HttpProvisioningOptions = {
  /** Base URL of the operator's provisioning endpoint (its BSS or an HLR/HSS gateway). */
  url: string;
  /** Shared secret the requests are signed with. */
  secret: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
};

/**
 * The operator's provisioning system over HTTP, by the contract in docs/integrations.md: one
 * POST per operation with a JSON body, an `Idempotency-Key` header (a repeated key must change
 * nothing), and an HMAC-SHA256 signature over the timestamp, method, path and body. A 2xx
 * answer is done; 409 means the key was already applied; other 4xx answers are refusals never
 * worth repeating; 5xx, 429 and time-outs are retried by the outbox.
 */
export class HttpProvisioning implements Provisioning {
  constructor(private readonly options: HttpProvisioningOptions) {}

  suspendLine({ msisdn, idempotencyKey }: { msisdn: string; idempotencyKey: string }) {
    return this.post(`/lines/${encodeURIComponent(msisdn)}/suspend`, {}, idempotencyKey);
  }

  resumeLine({ msisdn, idempotencyKey }: { msisdn: string; idempotencyKey: string }) {
    return this.post(`/lines/${encodeURIComponent(msisdn)}/resume`, {}, idempotencyKey);
  }

  swapSim(call: { msisdn: string; newIccid: string; newImsi: string; idempotencyKey: string }) {
    return this.post(
      `/lines/${encodeURIComponent(call.msisdn)}/swap`,
      { iccid: call.newIccid, imsi: call.newImsi },
      call.idempotencyKey,
    );
  }

  private async post(path: string, payload: Record<string, string>, idempotencyKey: string): Promise<void> {
    const { url, secret, timeoutMs, fetch: send = fetch, now = () => new Date() } = this.options;
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const pathname = `${new URL(url).pathname.replace(/\/$/, '')}${path}`;
    const signature = signProvisioningRequest(secret, timestamp, 'POST', pathname, body);
    let response: Response;
    try {
      response = await send(`${url.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          'x-simdesk-timestamp': timestamp,
          'x-simdesk-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ProvisioningError(`provisioning did not answer ${path}: ${(error as Error).message}`, true);
    }
    if (response.ok || response.status === 409) return;
    const retryable = response.status >= 500 || response.status === 429;
    throw new ProvisioningError(`provisioning answered ${response.status} to ${path}`, retryable);
  }
}

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<METHOD> <path>\n<body>">`, as the receiver checks it. */
export function signProvisioningRequest(
  secret: string,
  timestamp: string,
  method: string,
  path: string,
  body: string,
): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${method} ${path}\n${body}`).digest('hex')}`;
}
