import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { handOverCounterSim } from '../../src/app/counter/counter-sim.ts';
import { startWalkIn } from '../../src/app/counter/walk-in.ts';
import type { Database } from '../../src/db/client.ts';
import { completeIccid } from '../../src/domain/iccid.ts';
import { buildApp } from '../../src/web/app.ts';
import { pdfText } from '../support/pdf-text.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient, type WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  staff = await demoStaff(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await database.raw.query<T>(sql, params))[0] as T;
const lineId = async (msisdn: string) =>
  (await one<{ id: string }>('select id from lines where msisdn = $1', [msisdn])).id;
/** A card on a shelf: this center's (`MSK-TVER`), another center's, or one in use on a line. */
const card = async (where: string) =>
  (
    await one<{ iccid: string }>(
      `select s.iccid from sims s left join service_centers c on c.id = s.center_id
        where s.form_factor <> 'esim' and ${where} order by s.iccid limit 1`,
    )
  ).iccid;
const shelfCard = () => card("s.status = 'in_stock' and c.code = 'MSK-TVER'");

async function openCase(agent: WebClient, msisdn: string, fields: Record<string, string>) {
  const found = await agent.get(`/staff/counter?q=${encodeURIComponent(msisdn)}`);
  expect(found.statusCode).toBe(303);
  const linePage = await agent.get(found.headers.location as string);
  expect(linePage.statusCode).toBe(200);
  const created = await agent.post(found.headers.location as string, {
    reason: 'lost',
    simType: 'physical',
    ...fields,
  });
  return created;
}

test('a walk-in: the line by any format, the passport in person, the fee on the terminal, a card from the shelf, the printed form', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const home = await agent.get('/staff/counter');
  expect(home.body).toContain('Serve a walk-in');
  expect((await agent.get('/staff/counter?q=nobody')).statusCode).toBe(404);
  const found = await agent.get('/staff/counter?q=8%20(916)%20111-00-21');
  expect(found.headers.location).toBe(`/staff/counter/lines/${await lineId('+79161110021')}`);
  const before = await agent.get(found.headers.location as string);
  expect(before.body).toContain('Passport check and request');
  expect(before.body).not.toContain('John Smith');

  const stranger = await openCase(agent, '+79161110021', { docType: 'passport_foreign', docNumber: 'FX9999999' });
  expect(stranger.statusCode).toBe(409);
  expect(stranger.body).toContain('not the one on file');
  expect(stranger.body).toContain('FX9999999');
  expect(
    (await one<{ n: number }>("select count(*)::int n from audit_log where action = 'counter.identity_mismatch'")).n,
  ).toBe(1);
  expect((await one<{ n: number }>('select count(*)::int n from replacement_requests')).n).toBe(0);

  const created = await openCase(agent, '+79161110021', { docType: 'passport_foreign', docNumber: 'fx 1110021' });
  expect(created.statusCode).toBe(303);
  const casePath = created.headers.location as string;
  const requestId = casePath.split('/').pop() as string;
  const request = await one<{ channel: string; status: string; fee_minor: number; approved_in_person: boolean }>(
    'select channel, status, fee_minor, approved_in_person from replacement_requests where id = $1',
    [requestId],
  );
  expect(request).toMatchObject({ channel: 'counter', status: 'awaiting_payment' });
  expect(request.fee_minor).toBeGreaterThan(0);
  const casePage = await agent.get(casePath);
  expect(casePage.body).toContain('John Smith');

  const noSlip = await agent.post(`${casePath}/payment`, { method: 'card_terminal', slipRef: '' });
  expect(noSlip.statusCode).toBe(400);
  expect(noSlip.body).toContain('Type the reference on the terminal');
  expect((await agent.post(`${casePath}/payment`, { method: 'card_terminal', slipRef: 'T-000917' })).statusCode).toBe(
    303,
  );
  const payment = await one<{ method: string; provider_ref: string; received_by: string; center: string }>(
    `select p.method, p.provider_ref, u.email received_by, c.code center from payments p
       join staff_users u on u.id = p.received_by_staff_id join service_centers c on c.id = p.center_id
      where p.request_id = $1 and p.status = 'succeeded'`,
    [requestId],
  );
  expect(payment).toEqual({
    method: 'card_terminal',
    provider_ref: 'T-000917',
    received_by: 'store-agent@volna.example',
    center: 'MSK-TVER',
  });
  expect(
    (await one<{ status: string }>('select status from replacement_requests where id = $1', [requestId])).status,
  ).toBe('approved');

  const here = await shelfCard();
  const refusals: [string, string][] = [
    [`${here.slice(0, -1)}${(Number(here.slice(-1)) + 1) % 10}`, 'check digit (Luhn)'],
    [await card("s.status = 'in_stock' and c.code <> 'MSK-TVER'"), "another center's stock"],
    [await card("s.status = 'active'"), 'This card is not free'],
    [completeIccid('897010000000000000'), 'No card of this operator has this ICCID'],
  ];
  for (const [iccid, message] of refusals) {
    const refused = await agent.post(`${casePath}/sim`, { iccid });
    expect(refused.body, iccid).toContain(message);
  }
  const handed = await agent.post(`${casePath}/sim`, { iccid: here.replace(/(\d{4})/g, '$1 ') });
  expect(handed.statusCode).toBe(303);
  const done = await agent.get(casePath);
  expect(done.body).toContain('The new SIM works');
  const swapped = await one<{ status: string; iccid: string; channel: string; old_status: string }>(
    `select r.status, s.iccid, sc.channel, old.status old_status from replacement_requests r
       join sims s on s.id = r.sim_id join sim_changes sc on sc.request_id = r.id join sims old on old.id = sc.old_sim_id
      where r.id = $1`,
    [requestId],
  );
  expect(swapped).toEqual({ status: 'activated', iccid: here, channel: 'counter', old_status: 'deactivated' });
  expect(
    (
      await one<{ n: number }>(
        "select count(*)::int n from outbox where topic = 'line.swap_sim' and payload->>'newIccid' = $1",
        [here],
      )
    ).n,
  ).toBe(1);

  const pdf = await agent.get(`${casePath}/form.pdf`);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  const text = await pdfText(pdf.rawPayload);
  expect(text).toContain('John Smith');
  expect(text).toContain("Subscriber's signature");
  expect(text).toContain("Agent's signature");
  expect(text).toContain('fx 1110021');
  expect(text).toContain(here);
  expect(text).toContain('T-000917');
});

test('the form prints in the subscriber language, and an eSIM shows its QR on the agent screen', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const created = await openCase(agent, '+79161110051', {
    docType: 'passport_foreign',
    docNumber: 'FX1110051',
    reason: 'switch_to_esim',
    simType: 'esim',
  });
  expect(created.statusCode).toBe(303);
  const casePath = created.headers.location as string;
  const status = (await agent.get(casePath)).body;
  if (status.includes('Take the fee')) await agent.post(`${casePath}/payment`, { method: 'cash', slipRef: '' });
  expect((await agent.post(`${casePath}/esim`)).statusCode).toBe(303);
  const page = await agent.get(casePath);
  expect(page.body).toContain('data:image/png;base64');
  expect(page.body).toMatch(/LPA:1\$[^$<]+\$[^<]+/);
  const text = await pdfText((await agent.get(`${casePath}/form.pdf`)).rawPayload);
  expect(text).toContain('用户签名');
});

test('an account under the SIM-change lock is served at the counter, the lock being for changes from afar', async () => {
  await database.raw.query(
    "update accounts set sim_change_lock = true where id = (select account_id from lines where msisdn = '+79161110031')",
  );
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const created = await openCase(agent, '+79161110031', { docType: 'passport_ru', docNumber: '4516110031' });
  const casePath = created.headers.location as string;
  await agent.post(`${casePath}/payment`, { method: 'cash', slipRef: '' });
  expect((await agent.post(`${casePath}/sim`, { iccid: await shelfCard() })).statusCode).toBe(303);
});

test('two agents scanning the same card at once: exactly one gets it', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const ids: string[] = [];
  for (const [msisdn, docNumber] of [
    ['+79161110041', '4516 110041'],
    ['+79161110061', '4516 110061'],
  ] as const) {
    const started = await startWalkIn(database.db, testLinks, testConfig.documentKey, staff.store_agent, {
      lineId: await lineId(msisdn),
      docType: 'passport_ru',
      docNumber,
      reason: 'damaged',
      simType: 'physical',
    });
    if (!started.ok) throw new Error(started.error);
    const casePath = `/staff/counter/requests/${started.value.requestId}`;
    await agent.get(casePath);
    await agent.post(`${casePath}/payment`, { method: 'cash', slipRef: '' });
    ids.push(started.value.requestId);
  }
  const iccid = await shelfCard();
  const results = await Promise.all(
    ids.map((id) => handOverCounterSim(database.db, testLinks, staff.store_agent, id, iccid)),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: 'sim.in_use' });
});

test("an agent sees only their own center's cases (an agent of another center finds nothing), and other roles cannot open the counter", async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const started = await startWalkIn(database.db, testLinks, testConfig.documentKey, staff.store_agent, {
    lineId: await lineId('+79161110081'),
    docType: 'passport_ru',
    docNumber: '4516110081',
    reason: 'lost',
    simType: 'physical',
  });
  if (!started.ok) throw new Error(started.error);
  expect((await agent.get(`/staff/counter/requests/${started.value.requestId}`)).statusCode).toBe(200);
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/counter')).statusCode).toBe(403);
  await database.raw.query(
    `insert into staff_users (operator_id, email, full_name, password_hash, totp_secret_encrypted, totp_confirmed_at, center_id)
     select s.operator_id, 'agent-2@volna.example', 'Other agent', s.password_hash, s.totp_secret_encrypted, now(), c.id
       from staff_users s join service_centers c on c.operator_id = s.operator_id and c.code <> 'MSK-TVER'
      where s.email = 'store-agent@volna.example' limit 1`,
  );
  await database.raw.query(
    `insert into staff_roles (operator_id, staff_id, role)
     select operator_id, id, 'store_agent' from staff_users where email = 'agent-2@volna.example'`,
  );
  const elsewhere = await staffClient(app, database, 'agent-2@volna.example');
  await elsewhere.get('/staff/home');
  const path = `/staff/counter/requests/${started.value.requestId}`;
  expect((await elsewhere.get(path)).statusCode).toBe(404);
  expect((await elsewhere.post(`${path}/payment`, { method: 'cash', slipRef: '' })).statusCode).toBe(404);
  const [other] = await database.raw.query<{ id: string; operator_id: string }>(
    "select id, operator_id from staff_users where email = 'agent-2@volna.example'",
  );
  const otherAgent = { operatorId: other?.operator_id ?? '', staffId: other?.id ?? '', ip: '10.0.0.9' };
  expect(
    await handOverCounterSim(database.db, testLinks, otherAgent, started.value.requestId, await shelfCard()),
  ).toEqual({
    ok: false,
    error: 'request.not_found',
  });
  const sever = await staffClient(app, database, 'store-agent@sever.example', 'sever.localhost');
  expect((await sever.get(`/staff/counter/requests/${started.value.requestId}`)).statusCode).toBe(404);
  expect((await sever.get('/staff/counter?q=%2B79161110081')).statusCode).toBe(404);
});

test('every counter route answers 404 for an id that is not a UUID, never 500', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  // A form's token comes with the page it is on: each post is sent from a line's page.
  const linePage = `/staff/counter/lines/${await lineId('+79161110091')}`;
  const post = async (url: string, fields: Record<string, string> = {}) => {
    await agent.get(linePage);
    return (await agent.post(url, fields)).statusCode;
  };
  const answers = {
    'GET line': (await agent.get('/staff/counter/lines/not-a-uuid')).statusCode,
    'POST line': await post('/staff/counter/lines/not-a-uuid', {
      docType: 'passport_ru',
      docNumber: '4506 123456',
      reason: 'lost',
      simType: 'physical',
    }),
    'GET request': (await agent.get('/staff/counter/requests/not-a-uuid')).statusCode,
    'POST payment': await post('/staff/counter/requests/not-a-uuid/payment', { method: 'cash' }),
    'POST sim': await post('/staff/counter/requests/not-a-uuid/sim', { iccid: '8970101000000000001' }),
    'POST esim': await post('/staff/counter/requests/not-a-uuid/esim'),
    'GET form': (await agent.get('/staff/counter/requests/not-a-uuid/form.pdf')).statusCode,
    'POST transfer': await post('/staff/counter/transfers/not-a-uuid/receive'),
  };
  expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((k) => [k, 404])));
});
