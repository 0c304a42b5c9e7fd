import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { verifyAuditLog } from '../../src/app/audit/audit-log.ts';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { type OutboxWorker, outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testAuditAnchor, testConfig } from '../support/test-config.ts';
import { signedInClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let network: ProvisioningSimulator;
let worker: OutboxWorker;
let kicks = 0;
beforeAll(async () => {
  database = await seededDatabase();
  network = new ProvisioningSimulator();
  worker = outboxWorker({ db: database.db, handlers: provisioningHandlers(database.db, network) });
  app = await buildApp({ config: testConfig, database, logger: false, onOutboxWrite: () => kicks++ });
});
afterAll(async () => {
  await app.close();
  await database.close();
});
beforeEach(() => {
  kicks = 0;
});

const signedIn = (phone: string, lang = 'en', host = 'localhost') => signedInClient(app, phone, lang, host);

const lineOf = async (msisdn: string) =>
  (
    await database.raw.query<{ id: string; status: string }>('select id, status from lines where msisdn = $1', [msisdn])
  )[0]!;
const outboxFor = async (msisdn: string) =>
  database.raw.query<{ topic: string; status: string }>(
    `select topic, status from outbox where payload->>'msisdn' = $1 order by id`,
    [msisdn],
  );

test('Block my SIM stops the line at once and queues the suspension for the network', async () => {
  const anna = await signedIn('+79161110001');
  const line = await lineOf('+79161110001');
  expect(anna.last?.body).toContain(`action="/lines/${line.id}/block"`);

  const res = await anna.post(`/lines/${line.id}/block`);
  expect(res.statusCode).toBe(303);
  expect((await lineOf('+79161110001')).status).toBe('blocked');
  expect(await outboxFor('+79161110001')).toEqual([{ topic: 'line.suspend', status: 'pending' }]);
  expect(kicks).toBe(1);

  const page = await anna.get(res.headers.location as string);
  expect(page.body.replaceAll('\u00a0', ' ')).toContain('The SIM for +7 916 111 00 01 is blocked');

  await worker.drain();
  expect(network.lines.get('+79161110001')?.status).toBe('suspended');
  expect(await outboxFor('+79161110001')).toEqual([{ topic: 'line.suspend', status: 'sent' }]);

  await anna.post(`/lines/${line.id}/block`);
  expect(await outboxFor('+79161110001')).toHaveLength(1);
  expect(await verifyAuditLog(database.db, testAuditAnchor())).toMatchObject({ brokenAt: null });
});

test('unblocking needs the password again', async () => {
  const anna = await signedIn('+79161110003', 'ru');
  const line = await lineOf('+79161110003');
  await anna.post(`/lines/${line.id}/block`);
  expect((await anna.get(`/lines/${line.id}/unblock`)).statusCode).toBe(200);

  const wrong = await anna.post(`/lines/${line.id}/unblock`, { password: 'guess' });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toContain('Неверный номер телефона или пароль');
  expect((await lineOf('+79161110003')).status).toBe('blocked');

  const right = await anna.post(`/lines/${line.id}/unblock`, { password: DEMO_PASSWORD });
  expect(right.statusCode).toBe(303);
  expect((await lineOf('+79161110003')).status).toBe('active');
  await worker.drain();
  expect(network.lines.get('+79161110003')?.status).toBe('active');
  expect((await outboxFor('+79161110003')).map((m) => m.topic)).toEqual(['line.suspend', 'line.resume']);
});

test("a session of one account cannot see, block or unblock another account's line", async () => {
  const john = await signedIn('+79161110021');
  const annaLine = await lineOf('+79161110001');
  expect(john.last?.body).not.toContain(annaLine.id);
  expect((await john.post(`/lines/${annaLine.id}/block`)).statusCode).toBe(404);
  expect((await john.get(`/lines/${annaLine.id}/unblock`)).statusCode).toBe(404);
  expect((await john.post(`/lines/${annaLine.id}/unblock`, { password: DEMO_PASSWORD })).statusCode).toBe(404);
  expect((await john.post('/lines/not-a-uuid/block')).statusCode).toBe(404);
  expect(kicks).toBe(0);
});

test('the SIM-change lock turns on at once, turns off only after the waiting period, and each change is e-mailed', async () => {
  const john = await signedIn('+79161110021');
  expect(john.last?.body).toContain('The lock is off.');
  await john.post('/account/sim-lock', { lock: 'on' });
  expect((await john.get('/account')).body).toContain('The lock is on.');
  await john.post('/account/sim-lock', { lock: 'off' });
  const releasing = (await john.get('/account')).body;
  expect(releasing).toMatch(/The lock is on until [^<]+; then it turns off\./);
  expect(releasing).toContain('Keep the lock on');
  const [account] = await database.raw.query<{ sim_change_lock: boolean; hours: number }>(
    `select a.sim_change_lock, round(extract(epoch from a.lock_release_at - now()) / 3600)::int hours
       from accounts a join lines l on l.account_id = a.id where l.msisdn = '+79161110021'`,
  );
  expect(account).toEqual({ sim_change_lock: true, hours: 24 });
  const mails = await database.raw.query<{ subject: string }>(
    `select payload->>'subject' subject from outbox
      where topic = 'email.send' and payload->>'to' = 'john.smith@example.com' order by id`,
  );
  expect(mails.map((m) => m.subject)).toEqual([
    'Volna Mobile: SIM-change lock turned on',
    'Volna Mobile: SIM-change lock turns off soon',
  ]);
});

test('tampering with the audit log is detected at the edited row', async () => {
  const [first] = await database.raw.query<{ id: number }>('select min(id)::int id from audit_log');
  await database.raw.query(`update audit_log set data = '{"forged":true}' where id = $1`, [first!.id]);
  expect((await verifyAuditLog(database.db, testAuditAnchor())).brokenAt).toBe(first!.id);
});
