import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

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

const job = async (slug: string, status: string, attempts: number, key: string) =>
  (
    await database.raw.query<{ id: number }>(
      `insert into outbox (operator_id, topic, payload, idempotency_key, status, attempts, last_error)
       select id, 'line.swap_sim', '{"msisdn": "+79161110001", "newIccid": "8970100000000000017", "newImsi": "250010000000001"}',
              $2, $3, $4, 'HLR timeout after 10000 ms' from operators where slug = $1
       returning id`,
      [slug, key, status, attempts],
    )
  )[0]?.id as number;

test('a network change given up after its retries is shown to administrators and sent again, audited', async () => {
  const dead = await job('volna', 'dead', 8, 'swap:test-dead');
  const retrying = await job('volna', 'pending', 3, 'swap:test-retrying');
  const foreign = await job('sever', 'dead', 8, 'swap:test-sever');
  const admin = await staffClient(app, database, 'admin@volna.example');
  const page = await admin.get('/staff/network');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('HLR timeout after 10000 ms');
  expect(page.body).toContain('Given up after the last retry');
  expect(page.body).toContain('Being retried');
  expect(page.body).toContain(`/staff/network/${dead}/retry`);
  expect(page.body).not.toContain(`/staff/network/${retrying}/retry`);

  expect((await admin.post(`/staff/network/${foreign}/retry`)).statusCode).toBe(404);
  expect((await admin.post(`/staff/network/${retrying}/retry`)).statusCode).toBe(404);
  expect((await admin.post(`/staff/network/${dead}/retry`)).headers.location).toBe('/staff/network?done=retried');
  const [row] = await database.raw.query<{ status: string; attempts: number; idempotency_key: string }>(
    'select status, attempts, idempotency_key from outbox where id = $1',
    [dead],
  );
  expect(row).toEqual({ status: 'pending', attempts: 0, idempotency_key: 'swap:test-dead' });
  const [audit] = await database.raw.query<{ data: Record<string, unknown> }>(
    "select data from audit_log where action = 'network.retry'",
  );
  expect(audit?.data).toMatchObject({ topic: 'line.swap_sim', msisdn: '+79161110001' });
  expect((await admin.post(`/staff/network/${dead}/retry`)).statusCode).toBe(404);
});

test('a partner’s webhook given up after a day of retries is shown with the partner’s address and sent again; network jobs are not reachable there', async () => {
  const [delivery] = await database.raw.query<{ id: number }>(
    `with o as (select id from operators where slug = 'volna'),
          s as (insert into webhook_subscriptions (operator_id, url, events, secret_encrypted)
                select id, 'https://crm.bank.example/hooks/simdesk?key=secret', '{line.blocked}', 'x' from o returning id, operator_id)
     insert into webhook_deliveries (operator_id, subscription_id, event_id, event, body)
     select operator_id, id, gen_random_uuid(), 'line.blocked', '{}' from s returning id`,
  );
  const [dead] = await database.raw.query<{ id: number }>(
    `insert into outbox (operator_id, topic, payload, idempotency_key, status, attempts, last_error, created_at)
     select id, 'webhook.deliver', jsonb_build_object('deliveryId', $1::int), 'webhook:test-dead', 'dead', 97,
            'webhook answered 503', now() - interval '25 hours' from operators where slug = 'volna' returning id`,
    [Number(delivery!.id)],
  );
  const network = await job('volna', 'dead', 8, 'swap:test-not-partner');
  const admin = await staffClient(app, database, 'admin@volna.example');
  const page = await admin.get('/staff/partners');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('https://crm.bank.example');
  expect(page.body).not.toContain('key=secret');
  expect(page.body).toContain('webhook answered 503');
  expect(page.body).not.toContain('HLR timeout');
  expect((await admin.post(`/staff/partners/${network}/retry`)).statusCode).toBe(404);
  expect((await admin.post(`/staff/partners/${dead!.id}/retry`)).headers.location).toBe('/staff/partners?done=retried');
  const [row] = await database.raw.query<{ status: string; attempts: number }>(
    'select status, attempts from outbox where id = $1',
    [dead!.id],
  );
  expect(row).toEqual({ status: 'pending', attempts: 0 });
  const [audit] = await database.raw.query<{ data: Record<string, unknown> }>(
    "select data from audit_log where action = 'delivery.retry'",
  );
  expect(audit?.data).toMatchObject({ topic: 'webhook.deliver', deliveryId: Number(delivery!.id) });
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/partners')).statusCode).toBe(403);
});
