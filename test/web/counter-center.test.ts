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

const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await database.raw.query<T>(sql, params))[0] as T;
const center = async (code: string) =>
  (await one<{ id: string }>('select id from service_centers where code = $1', [code])).id;

test('an administrator without a center chooses one for the session and serves a walk-in there', async () => {
  const admin = await staffClient(app, database, 'admin@volna.example');
  const { id: lineId } = await one<{ id: string }>("select id from lines where msisdn = '+79161110031'");
  const walkIn = { docType: 'passport_ru', docNumber: '4516 110031', reason: 'lost', simType: 'physical' };

  const home = await admin.get('/staff/counter');
  expect(home.body).toContain('choose the one whose counter you are working at');
  expect(home.body).toContain('MSK-TVER');
  const refused = await admin.post(`/staff/counter/lines/${lineId}`, walkIn);
  expect(refused.statusCode).toBe(409);
  expect(refused.body).toContain('chooses the center on the counter’s first page');

  const sever = await one<{ id: string }>(
    "select id from service_centers where operator_id = (select id from operators where slug = 'sever') limit 1",
  );
  expect((await admin.post('/staff/counter/center', { centerId: sever.id })).statusCode).toBe(404);
  expect((await admin.post('/staff/counter/center', { centerId: 'not-a-uuid' })).statusCode).toBe(404);
  const tver = await center('MSK-TVER');
  expect((await admin.post('/staff/counter/center', { centerId: tver })).headers.location).toBe('/staff/counter');
  expect((await admin.get('/staff/counter')).body).toContain(
    'Walk-ins and cards in stock are those of the center below',
  );

  const created = await admin.post(`/staff/counter/lines/${lineId}`, walkIn);
  expect(created.statusCode).toBe(303);
  const requestId = (created.headers.location as string).split('/').pop();
  expect(
    (await one<{ center_id: string }>('select center_id from replacement_requests where id = $1', [requestId]))
      .center_id,
  ).toBe(tver);
  expect(
    (await one<{ n: number }>("select count(*)::int n from audit_log where action = 'counter.center_chosen'")).n,
  ).toBe(1);

  // The choice is the session's: a new sign-in starts without one.
  const again = await staffClient(app, database, 'admin@volna.example');
  expect((await again.get('/staff/counter')).body).toContain('choose the one whose counter you are working at');
});

test('an agent keeps their own center: neither an agent nor another role can choose one', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  expect((await agent.get('/staff/counter')).body).not.toContain('centerId');
  const other = await one<{ id: string }>(
    "select id from service_centers where code <> 'MSK-TVER' and operator_id = (select id from operators where slug = 'volna') limit 1",
  );
  expect((await agent.post('/staff/counter/center', { centerId: other.id })).statusCode).toBe(403);
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.post('/staff/counter/center', { centerId: other.id })).statusCode).toBe(403);
});

test('a walk-in redeems only a visit booked at the agent’s own center', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const { id: lineId } = await one<{ id: string }>("select id from lines where msisdn = '+79161110041'");
  const elsewhere = await one<{ id: string }>(
    `insert into appointments (operator_id, center_id, starts_at, ends_at, contact_name, contact_phone, line_msisdn,
                               ticket, manage_token_hash)
     select operator_id, id, now() + interval '1 hour', now() + interval '90 minutes', 'Смирнова', '+79161110041',
            '+79161110041', 'V-ELSE01', md5(random()::text) from service_centers where code = 'MSK-AVIA' returning id`,
  );
  await agent.get(`/staff/counter/lines/${lineId}?visit=${elsewhere.id}`);
  const created = await agent.post(`/staff/counter/lines/${lineId}?visit=${elsewhere.id}`, {
    docType: 'passport_ru',
    docNumber: '4516 110041',
    reason: 'lost',
    simType: 'physical',
  });
  expect(created.statusCode).toBe(303);
  expect((await one<{ status: string }>('select status from appointments where id = $1', [elsewhere.id])).status).toBe(
    'booked',
  );
});

test('after three wrong passports for a line in an hour its counter check is held, for the right one too, with 429', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const { id: lineId } = await one<{ id: string }>("select id from lines where msisdn = '+79161110061'");
  const show = async (docNumber: string) => {
    await agent.get(`/staff/counter/lines/${lineId}`);
    return agent.post(`/staff/counter/lines/${lineId}`, {
      docType: 'passport_ru',
      docNumber,
      reason: 'lost',
      simType: 'physical',
    });
  };
  for (const wrong of ['4516 000001', '4516 000002', '4516 000003']) expect((await show(wrong)).statusCode).toBe(409);
  const held = await show('4516 110061');
  expect(held.statusCode).toBe(429);
  expect(held.body).toContain('passport check is held');
  expect(held.body).toContain('value="4516 110061"');
  const [alert] = await database.raw.query<{ subject: string }>(
    "select payload->>'subject' subject from outbox where idempotency_key like 'documents-held:%' limit 1",
  );
  expect(alert?.subject).toContain('+79161110061');
});
