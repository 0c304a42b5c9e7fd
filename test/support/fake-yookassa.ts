import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Amount = { value: string; currency: string };
type Payment = {
  id: string;
  status: 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
  paid: boolean;
  amount: Amount;
  refunded_amount?: Amount;
  confirmation: { type: 'redirect'; return_url: string; confirmation_url: string };
  payment_method: { type: string; id: string; saved: boolean; card?: { last4: string } };
  cancellation_details?: { party: string; reason: string };
  description?: string;
  metadata?: Record<string, string>;
  created_at: string;
};

/**
 * A local stand-in for YooKassa's API v3, answering as its documentation shows: Basic
 * authentication with the shop id and secret key, an Idempotence-Key required on every POST
 * (the same key with the same body gives the same answer, with another body a 400), payments
 * with a redirect confirmation, refunds, and a way for tests to play the payer and send
 * notifications.
 */
export async function startFakeYookassa(credentials = { shopId: '123456', secretKey: 'test_secret' }) {
  const payments = new Map<string, Payment>();
  const answers = new Map<string, { body: string; status: number; answer: unknown }>();
  const requests: { method: string; path: string; body: unknown; idempotenceKey?: string }[] = [];
  let failures = 0;

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const problem = (code: string, description: string) => ({ type: 'error', id: randomUUID(), code, description });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const path = (req.url ?? '').replace(/^\/v3/, '');
    const key = req.headers['idempotence-key'] as string | undefined;
    const body = raw ? JSON.parse(raw) : undefined;
    requests.push({ method: req.method ?? '', path, body, ...(key && { idempotenceKey: key }) });
    if (failures > 0) {
      failures--;
      return reply(res, 500, problem('internal_server_error', 'Internal server error'));
    }
    const expected = `Basic ${Buffer.from(`${credentials.shopId}:${credentials.secretKey}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return reply(res, 401, problem('invalid_credentials', 'Bad key'));
    if (req.method === 'POST') {
      if (!key) return reply(res, 400, problem('invalid_request', 'Idempotence-Key header is required'));
      const earlier = answers.get(`${path}:${key}`);
      if (earlier)
        return earlier.body === raw
          ? reply(res, earlier.status, earlier.answer)
          : reply(res, 400, problem('invalid_request', 'Idempotence key duplicated with another request'));
      const [status, answer] = post(path, body);
      answers.set(`${path}:${key}`, { body: raw, status, answer });
      return reply(res, status, answer);
    }
    const found = path.match(/^\/payments\/([^/]+)$/);
    const payment = found && payments.get(decodeURIComponent(found[1] as string));
    return payment ? reply(res, 200, payment) : reply(res, 404, problem('not_found', 'Payment not found'));
  });

  const post = (path: string, body: Record<string, unknown>): [number, unknown] => {
    if (path === '/payments') {
      const id = randomUUID();
      const confirmation = body.confirmation as { return_url: string };
      const payment: Payment = {
        id,
        status: 'pending',
        paid: false,
        amount: body.amount as Amount,
        confirmation: {
          type: 'redirect',
          return_url: confirmation.return_url,
          confirmation_url: `https://yoomoney.ru/checkout/payments/v2/contract?orderId=${id}`,
        },
        payment_method: { type: (body.payment_method_data as { type: string }).type, id, saved: false },
        description: body.description as string,
        metadata: body.metadata as Record<string, string>,
        created_at: new Date().toISOString(),
      };
      payments.set(id, payment);
      return [200, payment];
    }
    if (path === '/refunds') {
      const payment = payments.get(body.payment_id as string);
      if (payment?.status !== 'succeeded') return [400, problem('invalid_request', 'Payment cannot be refunded')];
      const amount = body.amount as Amount;
      const already = Number(payment.refunded_amount?.value ?? 0);
      payment.refunded_amount = { value: (already + Number(amount.value)).toFixed(2), currency: amount.currency };
      return [200, { id: randomUUID(), payment_id: payment.id, status: 'succeeded', amount }];
    }
    return [404, problem('not_found', 'Unknown endpoint')];
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
  return {
    url,
    credentials,
    payments,
    requests,
    /** The payer completes the payment on YooKassa's page. */
    pay(id: string, last4 = '4444') {
      const p = payments.get(id) as Payment;
      Object.assign(p, { status: 'succeeded', paid: true });
      p.payment_method.card = { last4 };
      return p;
    },
    cancel(id: string, reason: string) {
      const p = payments.get(id) as Payment;
      Object.assign(p, { status: 'canceled', cancellation_details: { party: 'payment_network', reason } });
      return p;
    },
    /** The next `n` calls answer 500, as during an outage. */
    failNext(n: number) {
      failures = n;
    },
    /** The notification YooKassa POSTs to the shop's URL, for `event` on the payment as it is now. */
    notification(id: string, event = 'payment.succeeded') {
      return JSON.stringify({ type: 'notification', event, object: payments.get(id) });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
