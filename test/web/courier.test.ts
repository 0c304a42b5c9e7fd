import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assignSim, dispatchRequest, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

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

/** A courier request approved, its card reserved and handed to the carrier. */
async function dispatched(msisdn: string, tracking: string) {
  const { requestId } = await submittedRequest(database, msisdn, { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  await dispatchRequest(database.db, testLinks, staff.logistics, requestId, {
    carrier: 'Own',
    trackingNumber: tracking,
  });
  return requestId;
}

const state = async (id: string) =>
  (
    await database.raw.query<{ status: string; shipment: string }>(
      `select r.status, s.status shipment from replacement_requests r join shipments s on s.request_id = r.id
        where r.id = $1`,
      [id],
    )
  )[0];

test('the courier sees the round, checks the passport at the door, and hands the card over', async () => {
  const requestId = await dispatched('+79161110011', 'OWN-1001');
  const courier = await staffClient(app, database, 'courier@volna.example');
  const list = await courier.get('/staff/courier');
  expect(list.statusCode).toBe(200);
  expect(list.body).toContain(`/staff/courier/${requestId}`);
  expect(list.body).toMatch(/Expected \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);

  await courier.get(`/staff/courier/${requestId}`);
  const short = await courier.post(`/staff/courier/${requestId}/delivered`, {
    docType: 'passport_foreign',
    lastDigits: '56',
  });
  expect(short.statusCode).toBe(400);
  // Only the last digit is right ("…0011" on file): four digits must match, not one.
  const lastOnly = await courier.post(`/staff/courier/${requestId}/delivered`, {
    docType: 'passport_foreign',
    lastDigits: '9991',
  });
  expect(lastOnly.statusCode).toBe(409);
  await courier.get(`/staff/courier/${requestId}`);
  const wrong = await courier.post(`/staff/courier/${requestId}/delivered`, {
    docType: 'passport_foreign',
    lastDigits: '9999',
  });
  expect(wrong.statusCode).toBe(409);
  expect(wrong.body).toContain('The document shown is not the one on file');
  const [audited] = await database.raw.query<{ n: number }>(
    "select count(*)::int n from audit_log where action = 'delivery.identity_mismatch' and target_id = $1",
    [requestId],
  );
  expect(audited?.n).toBe(2);
  expect(await state(requestId)).toEqual({ status: 'dispatched', shipment: 'in_transit' });

  const done = await courier.post(`/staff/courier/${requestId}/delivered`, {
    docType: 'passport_foreign',
    lastDigits: '0011',
  });
  expect(done.headers.location).toBe('/staff/courier?done=delivered');
  expect((await courier.get('/staff/courier?done=delivered')).body).toContain('Handed over.');
  expect(await state(requestId)).toEqual({ status: 'delivered', shipment: 'delivered' });
});

test('nobody at home, or a refusal, sends the parcel back to logistics', async () => {
  const courier = await staffClient(app, database, 'courier@volna.example');
  for (const [msisdn, path] of [
    ['+79161110021', 'not-home'],
    ['+79161110031', 'refused'],
  ] as const) {
    const requestId = await dispatched(msisdn, `OWN-${path}`);
    await courier.get(`/staff/courier/${requestId}`);
    const res = await courier.post(`/staff/courier/${requestId}/${path}`);
    expect(res.headers.location).toBe('/staff/courier?done=returned');
    expect(await state(requestId)).toEqual({ status: 'returned', shipment: 'returned' });
    const [event] = await database.raw.query<{ outcome: string }>(
      "select data->>'outcome' outcome from request_events where request_id = $1 and type = 'delivery_failed'",
      [requestId],
    );
    expect(event?.outcome).toBe(path === 'not-home' ? 'not_home' : 'refused');
  }
});

test('only couriers and admins of this operator reach the round', async () => {
  const requestId = await dispatched('+79161110041', 'OWN-2002');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/courier')).statusCode).toBe(403);
  const foreign = await staffClient(app, database, 'courier@sever.example', 'sever.localhost');
  expect((await foreign.get(`/staff/courier/${requestId}`)).statusCode).toBe(404);
  expect((await foreign.get('/staff/courier')).body).not.toContain(requestId);
  expect(await state(requestId)).toEqual({ status: 'dispatched', shipment: 'in_transit' });
});
