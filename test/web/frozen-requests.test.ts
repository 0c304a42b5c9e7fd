import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reportNotMe, wasntMeLink } from '../../src/app/requests/wasnt-me.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { counterWalkIn } from '../support/counter-swap.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

/**
 * "This wasn't me" froze a request and the account: staff settle it (fraud confirmed, or the
 * report cleared), or the owner ends it at the counter with the contract's passport. Before, the
 * frozen request kept the line's one open place for ever.
 */
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

const esim = { reason: 'switch_to_esim', simType: 'esim', delivery: 'esim', deliveryAddress: null } as const;
const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await database.raw.query<T>(sql, params))[0] as T;

async function frozenRequest(msisdn: string) {
  const { requestId, actor } = await submittedRequest(database, msisdn, esim);
  const link = wasntMeLink(testLinks, { publicUrl: null, hostnames: ['localhost'] }, requestId);
  const token = link.split('/').pop() as string;
  expect((await reportNotMe(database.db, testLinks.secret, actor.operatorId, token, '127.0.0.1')).ok).toBe(true);
  return { requestId, accountId: actor.accountId };
}
const stateOf = (requestId: string, accountId: string) =>
  one<{ status: string; frozen: boolean; locked: boolean }>(
    `select r.status, a.frozen_at is not null frozen, a.sim_change_lock locked
       from replacement_requests r join accounts a on a.id = $2 where r.id = $1`,
    [requestId, accountId],
  );
const mailsAbout = (requestId: string, update: string) =>
  database.raw.query<{ text: string }>(
    "select payload->>'text' text from outbox where topic = 'email.send' and idempotency_key like $1",
    [`request-update:${requestId}:${update}:%`],
  );

test('reviewers list frozen requests; confirming the fraud cancels the request, keeps the account protected and tells the owner', async () => {
  const { requestId, accountId } = await frozenRequest('+79161110011');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  const list = await reviewer.get('/staff/frozen');
  expect(list.statusCode).toBe(200);
  expect(list.body).toContain(`/staff/frozen/${requestId}/fraud`);
  const done = await reviewer.post(`/staff/frozen/${requestId}/fraud`);
  expect(done.headers.location).toBe('/staff/frozen?done=fraud_confirmed');
  expect(await stateOf(requestId, accountId)).toEqual({ status: 'cancelled', frozen: true, locked: true });
  expect((await mailsAbout(requestId, 'fraud_confirmed'))[0]?.text).toContain('并非您本人提交');
  const audit = await one<{ n: number }>(
    "select count(*)::int n from audit_log where action = 'request.fraud_confirmed' and target_id = $1",
    [requestId],
  );
  expect(audit.n).toBe(1);
  expect((await reviewer.get('/staff/frozen')).body).not.toContain(requestId);
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  expect((await agent.get('/staff/frozen')).statusCode).toBe(403);
});

test('clearing the report sends the request back to review and unfreezes the account; the lock stays on', async () => {
  const { requestId, accountId } = await frozenRequest('+79161110031');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  await reviewer.get('/staff/frozen');
  expect((await reviewer.post(`/staff/frozen/${requestId}/clear`)).headers.location).toBe('/staff/frozen?done=cleared');
  expect(await stateOf(requestId, accountId)).toEqual({ status: 'in_review', frozen: false, locked: true });
  expect(await mailsAbout(requestId, 'unfrozen')).toHaveLength(1);
  await reviewer.get('/staff/frozen');
  expect((await reviewer.post(`/staff/frozen/${requestId}/clear`)).headers.location).toBe('/staff/frozen?done=refused');
});

test('the owner at the counter with the contract passport ends the frozen request, and the account is unfrozen', async () => {
  const { requestId, accountId } = await frozenRequest('+79161110041');
  const walkIn = await counterWalkIn(database, '+79161110041');
  await walkIn.handOver();
  expect(await stateOf(requestId, accountId)).toMatchObject({ status: 'cancelled', frozen: false });
  const counter = await one<{ status: string }>(
    "select r.status from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = $1 and r.channel = 'counter'",
    ['+79161110041'],
  );
  expect(counter.status).toBe('activated');
  const audit = await one<{ n: number }>(
    "select count(*)::int n from audit_log where action = 'counter.frozen_request_ended' and target_id = $1",
    [requestId],
  );
  expect(audit.n).toBe(1);
});
