import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cancelRequest } from '../../src/app/requests/cancel-request.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient, type WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await database.raw.query<T>(sql, params))[0] as T;

/** A walk-in on the line, paid at the counter, then cancelled by its subscriber: the fee is owed back. */
async function paidThenCancelled(agent: WebClient, msisdn: string, docNumber: string, payment: Record<string, string>) {
  const line = await one<{ id: string; account_id: string; operator_id: string }>(
    'select id, account_id, operator_id from lines where msisdn = $1',
    [msisdn],
  );
  await agent.get(`/staff/counter/lines/${line.id}`);
  const created = await agent.post(`/staff/counter/lines/${line.id}`, {
    docType: 'passport_ru',
    docNumber,
    reason: 'lost',
    simType: 'physical',
  });
  expect(created.statusCode).toBe(303);
  const casePath = created.headers.location as string;
  expect((await agent.post(`${casePath}/payment`, payment)).statusCode).toBe(303);
  const requestId = casePath.split('/').pop() as string;
  const cancelled = await cancelRequest(
    database.db,
    testLinks,
    { operatorId: line.operator_id, accountId: line.account_id, ip: '203.0.113.9' },
    requestId,
  );
  expect(cancelled).toMatchObject({ ok: true, value: { refund: true } });
  return one<{ id: string; reference: string }>(
    'select p.id, r.reference from payments p join replacement_requests r on r.id = p.request_id where r.id = $1',
    [requestId],
  );
}

test('a counter refund is the center’s task, never the online gateway’s: the terminal payment is reversed and recorded by an agent', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const paid = await paidThenCancelled(agent, '+79161110031', '4516 110031', {
    method: 'card_terminal',
    slipRef: 'T-004411',
  });
  expect(
    (await one<{ n: number }>("select count(*)::int n from outbox where topic = 'payment.refund'")).n,
    'nothing goes to the online gateway',
  ).toBe(0);
  expect((await one<{ status: string }>('select status from payments where id = $1', [paid.id])).status).toBe(
    'refund_pending',
  );

  const admin = await staffClient(app, database, 'admin@volna.example');
  const owed = await admin.get('/staff/refunds');
  expect(owed.body).toContain(paid.reference);
  expect(owed.body).toContain('To be paid back at the MSK-TVER counter');

  const counter = await agent.get('/staff/counter');
  expect(counter.body).toContain('Refunds to pay back here');
  expect(counter.body).toContain(paid.reference);
  expect(counter.body).toContain('slip T-004411');
  const noSlip = await agent.post(`/staff/counter/refunds/${paid.id}`, { slipRef: ' ' });
  expect(noSlip.statusCode).toBe(400);
  expect(noSlip.body).toContain('Type the number on the terminal’s reversal slip');
  expect((await agent.post(`/staff/counter/refunds/${paid.id}`, { slipRef: 'R-77120' })).headers.location).toBe(
    '/staff/counter?refunded=1',
  );
  expect((await agent.post(`/staff/counter/refunds/${paid.id}`, { slipRef: 'R-77120' })).statusCode).toBe(404);

  const refunded = await one<{ status: string; refund_slip_ref: string; by: string }>(
    `select p.status, p.refund_slip_ref, u.email by from payments p join staff_users u on u.id = p.refunded_by_staff_id
      where p.id = $1`,
    [paid.id],
  );
  expect(refunded).toEqual({ status: 'refunded', refund_slip_ref: 'R-77120', by: 'store-agent@volna.example' });
  const audit = await one<{ data: Record<string, unknown> }>(
    "select data from audit_log where action = 'payment.refunded_at_counter'",
  );
  expect(audit.data).toMatchObject({ reference: paid.reference, method: 'card_terminal', slipRef: 'R-77120' });
  expect((await admin.get('/staff/refunds')).body).not.toContain(paid.reference);
});

test('cash is paid out at the center that took it; a failed gateway refund is shown and sent again', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const paid = await paidThenCancelled(agent, '+79161110041', '4516 110041', { method: 'cash', slipRef: '' });
  expect((await agent.get('/staff/counter')).body).toContain('Cash paid out');
  expect((await agent.post(`/staff/counter/refunds/${paid.id}`, {})).statusCode).toBe(303);
  expect(await one('select status, refund_slip_ref from payments where id = $1', [paid.id])).toEqual({
    status: 'refunded',
    refund_slip_ref: null,
  });

  const online = await one<{ id: string }>(
    `insert into payments (operator_id, request_id, method, amount_minor, currency, status, provider, provider_ref, idempotency_key)
     select operator_id, request_id, 'card', 35000, 'RUB', 'refund_pending', 'sandbox', 'sbx-1', 'test-online-refund'
       from payments where id = $1 returning id`,
    [paid.id],
  );
  const job = await one<{ id: number }>(
    `insert into outbox (operator_id, topic, payload, idempotency_key, status, attempts, last_error)
     select operator_id, 'payment.refund', jsonb_build_object('paymentId', id), 'refund:' || id, 'dead', 12, 'gateway answered 502'
       from payments where id = $1 returning id`,
    [online.id],
  );
  const admin = await staffClient(app, database, 'admin@volna.example');
  const page = await admin.get('/staff/refunds');
  expect(page.body).toContain('Given up at sandbox after the last retry');
  expect(page.body).toContain('gateway answered 502');
  expect((await admin.post(`/staff/refunds/${job.id}/retry`)).headers.location).toBe('/staff/refunds?done=retried');
  expect(await one('select status, attempts from outbox where id = $1', [job.id])).toEqual({
    status: 'pending',
    attempts: 0,
  });
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/refunds')).statusCode).toBe(403);
});
