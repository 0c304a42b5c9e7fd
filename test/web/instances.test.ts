import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { secondInstance } from '../support/db.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, WebClient } from '../support/web-client.ts';

/**
 * Two app instances on one database, as behind a load balancer. Each keeps sessions, operator
 * settings and what subscriber pages show in memory; a change made through either instance, or
 * straight in the database, shows on the other at once.
 */
let database: Database;
let other: Database;
let a: FastifyInstance;
let b: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  other = await secondInstance(database);
  a = await buildApp({ config: testConfig, database, logger: false });
  b = await buildApp({ config: testConfig, database: other, logger: false });
});
afterAll(async () => {
  await a.close();
  await b.close();
  await other.close();
  await database.close();
});

/** Notifications travel after the commit, over a connection of their own: give them a moment. */
const eventually = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the other instance did not see the change');
};

test('signing out everywhere on one instance ends the session on the other at once', async () => {
  const onA = await signedInClient(a, '+79161110021');
  const onB = new WebClient(b, { 'accept-language': 'en', host: 'localhost' });
  for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
  expect((await onB.get('/account')).statusCode).toBe(200);
  await onA.get('/account');
  await onA.post('/logout/everywhere');
  await eventually(async () => (await onB.get('/account')).statusCode === 303);
});

test('a line blocked through one instance shows as blocked on the other', async () => {
  const onA = await signedInClient(a, '+79161110031');
  const onB = new WebClient(b, { 'accept-language': 'en', host: 'localhost' });
  for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
  expect((await onB.get('/account')).body).not.toContain('status-blocked');
  const [line] = await database.raw.query<{ id: string }>(`select id from lines where msisdn = '+79161110031'`);
  await onA.post(`/lines/${line!.id}/block`);
  await eventually(async () => (await onB.get('/account')).body.includes('status-blocked'));
});

test("an operator's new fee shows on every instance without a restart", async () => {
  const faq = () => b.inject({ url: '/faq', headers: { host: 'localhost', 'accept-language': 'en' } });
  expect((await faq()).body).toContain('Replacing a SIM costs ₽300');
  await database.raw.query(
    `update fee_rules set amount_minor = 45000 where reason is null and sim_type is null and channel is null
       and delivery is null and operator_id = (select id from operators where slug = 'volna')`,
  );
  await eventually(async () => (await faq()).body.includes('Replacing a SIM costs ₽450'));
});
