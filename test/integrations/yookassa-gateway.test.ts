import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { GatewayUnavailable } from '../../src/integrations/payments/payment-gateway.ts';
import { YookassaGateway } from '../../src/integrations/payments/yookassa-gateway.ts';
import { buildApp } from '../../src/web/app.ts';
import { startFakeYookassa } from '../support/fake-yookassa.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient } from '../support/web-client.ts';

/** The YooKassa adapter against a local server answering as YooKassa's API v3 documentation shows. */
let yookassa: Awaited<ReturnType<typeof startFakeYookassa>>;
let gateway: YookassaGateway;
beforeAll(async () => {
  yookassa = await startFakeYookassa();
  gateway = new YookassaGateway({
    ...yookassa.credentials,
    apiUrl: yookassa.url,
    checkoutOrigin: 'https://yoomoney.ru',
  });
});
afterAll(() => yookassa.close());

const create = (key = randomUUID(), amountMinor = 30000) =>
  gateway.createPayment({
    idempotencyKey: key,
    amountMinor,
    currency: 'RUB',
    method: 'card',
    description: 'SIM replacement, request R-TEST',
    returnUrl: 'https://volna.example/requests/1/paid?payment=1',
    metadata: { reference: 'R-TEST' },
  });

describe('the YooKassa adapter', () => {
  test('creates a captured payment with a redirect to YooKassa, once per idempotence key', async () => {
    const key = randomUUID();
    const first = await create(key);
    expect(first.checkoutUrl).toMatch(/^https:\/\/yoomoney\.ru\/checkout\//);
    expect(await create(key)).toEqual(first);
    const sent = yookassa.requests.filter((r) => r.idempotenceKey === key);
    expect(sent[0]?.body).toMatchObject({
      amount: { value: '300.00', currency: 'RUB' },
      capture: true,
      confirmation: { type: 'redirect', return_url: 'https://volna.example/requests/1/paid?payment=1' },
      payment_method_data: { type: 'bank_card' },
    });
    expect(await gateway.retrieve(first.ref)).toMatchObject({ status: 'pending', amountMinor: 30000 });
  });

  test('reads a paid payment with the card digits, and a cancelled one with its reason', async () => {
    const paid = await create();
    yookassa.pay(paid.ref, '1026');
    expect(await gateway.retrieve(paid.ref)).toMatchObject({ status: 'succeeded', cardLast4: '1026' });
    const poor = await create();
    yookassa.cancel(poor.ref, 'insufficient_funds');
    expect(await gateway.retrieve(poor.ref)).toMatchObject({ status: 'failed', failureReason: 'insufficient_funds' });
    const late = await create();
    yookassa.cancel(late.ref, 'expired_on_confirmation');
    expect(await gateway.retrieve(late.ref)).toMatchObject({ failureReason: 'expired' });
    expect(await gateway.retrieve(randomUUID())).toBeNull();
  });

  test('refunds once per idempotence key', async () => {
    const paid = await create(randomUUID(), 50000);
    yookassa.pay(paid.ref);
    const key = `refund:${randomUUID()}`;
    await gateway.refund({ ref: paid.ref, amountMinor: 50000, idempotencyKey: key });
    const again = await gateway.refund({ ref: paid.ref, amountMinor: 50000, idempotencyKey: key });
    expect(again.refundedMinor).toBe(50000);
  });

  test('believes a notification only as far as the payment fetched back says', async () => {
    const pending = await create();
    const forged = JSON.stringify({
      type: 'notification',
      event: 'payment.succeeded',
      object: { id: pending.ref, status: 'succeeded', amount: { value: '1.00', currency: 'RUB' } },
    });
    expect(await gateway.readNotification(forged)).toMatchObject({ ok: true, value: { status: 'pending' } });
    expect(
      await gateway.readNotification(yookassa.notification(pending.ref).replace(pending.ref, randomUUID())),
    ).toEqual({
      ok: false,
      error: 'webhook.unknown',
    });
    expect(await gateway.readNotification('not json')).toEqual({ ok: false, error: 'webhook.malformed' });
  });

  test('an outage is retryable; refused credentials are not', async () => {
    yookassa.failNext(1);
    await expect(create()).rejects.toBeInstanceOf(GatewayUnavailable);
    const wrong = new YookassaGateway({
      shopId: '1',
      secretKey: 'x',
      apiUrl: yookassa.url,
      checkoutOrigin: 'https://yoomoney.ru',
    });
    await expect(wrong.retrieve(randomUUID())).rejects.toMatchObject({ retryable: false, status: 401 });
  });
});

describe('paying through YooKassa in the portal', () => {
  let database: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await seededDatabase();
    app = await buildApp({ config: testConfig, database, logger: false, gateway });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  test("the pay form leads to YooKassa's page, which the CSP allows; its notification settles the fee", async () => {
    const { requestId } = await submittedRequest(database, '+79161110021');
    const c = await signedInClient(app, '+79161110021');
    const page = await c.get(`/requests/${requestId}/pay`);
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://yoomoney.ru");
    const attempt = page.body.match(/name="attempt" value="([^"]+)"/)?.[1] as string;
    const started = await c.post(`/requests/${requestId}/pay`, { method: 'card', attempt });
    expect(started.headers.location).toMatch(/^https:\/\/yoomoney\.ru\/checkout\//);
    const ref = new URL(started.headers.location as string).searchParams.get('orderId') as string;

    yookassa.pay(ref);
    const notified = await app.inject({
      method: 'POST',
      url: '/webhooks/payments/yookassa',
      headers: { 'content-type': 'application/json' },
      payload: yookassa.notification(ref),
    });
    expect(notified.statusCode).toBe(200);
    const [row] = await database.raw.query<{ status: string }>(
      'select status from replacement_requests where id = $1',
      [requestId],
    );
    expect(row?.status).toBe('in_review');
  });
});
