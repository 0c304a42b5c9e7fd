import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { StaffActor } from '../../src/app/requests/staff-step.ts';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { signatureHeader } from '../../src/integrations/signed-notifications.ts';
import { SmdpSimulator } from '../../src/integrations/smdp/smdp-simulator.ts';
import { esimHandlers } from '../../src/jobs/esim-handlers.ts';
import { type OutboxWorker, outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { signedInClient } from '../support/web-client.ts';

/**
 * eSIM replacements with profiles ordered from an SM-DP+ over ES2+ (here its simulator): a fresh
 * profile at approval, downloadable only once the subscriber is shown its code, its download and
 * installation told by the SM-DP+ and shown on the status page, the replaced profile retired.
 */
const SECRET = 'smdp-webhook-secret-of-the-tests-0123456789';
let database: Database;
let app: FastifyInstance;
let smdp: SmdpSimulator;
let worker: OutboxWorker;
let staff: Record<'reviewer' | 'second', StaffActor>;

beforeAll(async () => {
  database = await seededDatabase();
  smdp = new SmdpSimulator({ webhookSecret: SECRET });
  app = await buildApp({ config: { ...testConfig, demo: true }, database, logger: false, smdp });
  worker = outboxWorker({
    db: database.db,
    handlers: {
      ...esimHandlers(database.db, testLinks, smdp),
      ...provisioningHandlers(database.db, new ProvisioningSimulator()),
    } as never,
  });
  const all = await demoStaff(database);
  staff = { reviewer: all.reviewer, second: all.admin };
});
afterAll(async () => {
  await worker.stop();
  await app.close();
  await database.close();
});

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  database.raw.query<T>(text, params);
const statusOf = async (id: string) =>
  (await sql<{ status: string }>('select status from replacement_requests where id = $1', [id]))[0]?.status;

/** An eSIM request for the line, approved (by two reviewers when it needs them), its hold passed. */
async function approvedEsimRequest(msisdn: string) {
  const { requestId } = await submittedRequest(database, msisdn, { reason: 'switch_to_esim' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  if ((await statusOf(requestId)) === 'second_review')
    await reviewRequest(database.db, testLinks, staff.second, requestId, { decision: 'approve', inPerson: false });
  return requestId;
}

const profileOf = async (requestId: string) => {
  const [sim] = await sql<{ iccid: string; esim_matching_id: string; esim_smdp_address: string; status: string }>(
    'select s.iccid, s.esim_matching_id, s.esim_smdp_address, s.status from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
    [requestId],
  );
  return sim;
};

test('approval orders a fresh profile; its code works only after it is shown; the phone’s progress is on the status page; the old profile is retired', async () => {
  const requestId = await approvedEsimRequest('+79161110011');
  expect(await statusOf(requestId)).toBe('approved');
  await worker.drain();
  expect(await statusOf(requestId)).toBe('sim_assigned');
  const sim = await profileOf(requestId);
  expect(sim).toMatchObject({ esim_smdp_address: 'smdp.simdesk.test', status: 'reserved' });
  expect(smdp.profiles.get(sim?.iccid ?? '')).toMatchObject({ state: 'Confirmed', matchingId: sim?.esim_matching_id });
  const [ready] = await sql<{ text: string }>(
    `select payload->>'text' as text from outbox where topic = 'email.send' and idempotency_key like 'request-update:${requestId}:esim_ready:%'`,
  );
  expect(ready?.text).toMatch(/eSIM/);
  expect(smdp.installOnDevice(sim?.esim_matching_id ?? '')).toBe(false);
  const stranger = await signedInClient(app, '+79161110051');
  expect((await stranger.post(`/requests/${requestId}/esim/simulated-phone`)).statusCode).toBe(404);

  await sql(`update replacement_requests set hold_until = now() - interval '1 minute' where id = $1`, [requestId]);
  const li = await signedInClient(app, '+79161110011', 'en');
  const shown = await li.post(`/requests/${requestId}/esim`, { password: DEMO_PASSWORD });
  expect(shown.body).toContain(`<code>LPA:1$smdp.simdesk.test$${sim?.esim_matching_id}</code>`);
  await worker.drain();
  expect(smdp.profiles.get(sim?.iccid ?? '')?.state).toBe('Released');

  const before = (await li.get(`/requests/${requestId}`)).body;
  expect(before).toContain('Install it on a simulated phone');
  expect(before).not.toContain('The eSIM profile is installed on your phone');
  expect((await li.post(`/requests/${requestId}/esim/simulated-phone`)).headers.location).toBe(
    `/requests/${requestId}`,
  );
  const page = (await li.get(`/requests/${requestId}`)).body;
  expect(page).toContain('The eSIM profile is installed on your phone');
  expect(page).toContain('The eSIM profile was downloaded to a phone');
  expect(page).toContain('The eSIM profile was installed on a phone');

  expect((await li.post(`/requests/${requestId}/esim/activate`)).statusCode).toBe(303);
  expect(await statusOf(requestId)).toBe('activated');

  const second = await approvedEsimRequest('+79161110011');
  await worker.drain();
  const next = await profileOf(second);
  expect(next?.iccid).not.toBe(sim?.iccid);
  await sql(`update replacement_requests set hold_until = now() - interval '1 minute' where id = $1`, [second]);
  await li.post(`/requests/${second}/esim`, { password: DEMO_PASSWORD });
  expect((await li.post(`/requests/${second}/esim/activate`)).statusCode).toBe(303);
  await worker.drain();
  expect(smdp.profiles.get(sim?.iccid ?? '')?.state).toBe('Unavailable');
});

test('a request cancelled after its profile was ordered gives the profile back to the SM-DP+', async () => {
  const requestId = await approvedEsimRequest('+79161110051');
  await worker.drain();
  const sim = await profileOf(requestId);
  expect(smdp.profiles.has(sim?.iccid ?? '')).toBe(true);
  const wang = await signedInClient(app, '+79161110051', 'zh');
  expect((await wang.post(`/requests/${requestId}/cancel`)).statusCode).toBe(303);
  expect(await statusOf(requestId)).toBe('cancelled');
  await worker.drain();
  expect(smdp.profiles.has(sim?.iccid ?? '')).toBe(false);
  const [after] = await sql<{ status: string }>('select status from sims where iccid = $1', [sim?.iccid]);
  expect(after?.status).toBe('deactivated');
});

test('download notices are believed only when signed and fresh, and each step is recorded once', async () => {
  const body = JSON.stringify({
    header: { functionRequesterIdentifier: 'smdp', functionCallIdentifier: 'x-1' },
    eid: '89049032000000000000000000000001',
    iccid: '8970199000000000001',
    profileType: 'volna-esim',
    timestamp: new Date().toISOString(),
    notificationPointId: 3,
    notificationPointStatus: { status: 'Executed-Success' },
  });
  const post = (signature: string, payload = body) =>
    app.inject({
      method: 'POST',
      url: '/webhooks/smdp/simulator',
      headers: { 'content-type': 'application/json', 'x-smdp-signature': signature },
      payload,
    });
  expect((await post('t=1,v1=00')).statusCode).toBe(400);
  expect((await post(signatureHeader(SECRET, body, new Date(Date.now() - 600_000)))).statusCode).toBe(400);
  expect((await post(signatureHeader('another-secret-of-some-length-000000', body))).statusCode).toBe(400);
  expect((await post(signatureHeader(SECRET, '{}'), '{}')).statusCode).toBe(400);
  expect((await post(signatureHeader(SECRET, body))).statusCode).toBe(404);
  const [installed] = await sql<{ iccid: string }>(
    `select s.iccid from sims s where s.esim_smdp_address is not null and s.status = 'active' limit 1`,
  );
  const known = body.replace('8970199000000000001', installed?.iccid ?? '');
  expect((await post(signatureHeader(SECRET, known), known)).json()).toEqual({ received: true, duplicate: false });
  expect((await post(signatureHeader(SECRET, known), known)).json()).toEqual({ received: true, duplicate: true });
});
