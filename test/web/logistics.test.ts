import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reviewRequest } from '../../src/app/requests/fulfilment.ts';
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

const row = async (id: string) =>
  (
    await database.raw.query<{ status: string; sim_status: string | null; tracking: string | null }>(
      `select r.status, s.status sim_status, sh.tracking_number tracking from replacement_requests r
         left join sims s on s.id = r.sim_id left join shipments sh on sh.request_id = r.id where r.id = $1`,
      [id],
    )
  )[0];

const approved = async (msisdn: string, answers: Parameters<typeof submittedRequest>[2] = {}) => {
  const { requestId } = await submittedRequest(database, msisdn, { reason: 'not_working', ...answers });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  return requestId;
};

test('a courier request: reserve a card, dispatch it with carrier and tracking number, record delivery', async () => {
  const requestId = await approved('+79161110001');
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  const list = await logistics.get('/staff/logistics');
  expect(list.statusCode).toBe(200);
  expect(list.body).toContain(`/staff/logistics/${requestId}/reserve`);

  const reserved = await logistics.post(`/staff/logistics/${requestId}/reserve`);
  expect(reserved.headers.location).toMatch(/^\/staff\/logistics\?done=sim_assigned&ref=R-/);
  expect((await logistics.get(reserved.headers.location as string)).body).toContain('SIM reserved.');
  expect(await row(requestId)).toMatchObject({ status: 'sim_assigned', sim_status: 'reserved' });

  const bad = await logistics.post(`/staff/logistics/${requestId}/dispatch`, { carrier: 'CDEK', trackingNumber: '#1' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('Enter the carrier and a tracking number');
  expect(bad.body).toContain('value="CDEK"');
  await logistics.post(`/staff/logistics/${requestId}/dispatch`, { carrier: 'CDEK', trackingNumber: 'cd-100200300' });
  expect(await row(requestId)).toMatchObject({
    status: 'dispatched',
    sim_status: 'in_transit',
    tracking: 'CD-100200300',
  });
  await database.raw.query(
    'update shipments set expected_to = current_date - 1, expected_from = current_date - 5 where request_id = $1',
    [requestId],
  );
  expect((await logistics.get('/staff/logistics')).body).toContain('Delivery window has passed');
  await logistics.post(`/staff/logistics/${requestId}/delivered`);
  expect(await row(requestId)).toMatchObject({ status: 'delivered' });
});

test('a pickup request goes to its center; an empty warehouse is said so; a second click changes nothing', async () => {
  const [center] = await database.raw.query<{ id: string }>("select id from service_centers where code = 'MSK-TVER'");
  const requestId = await approved('+79161110011', {
    delivery: 'pickup',
    centerId: center?.id ?? null,
    deliveryAddress: null,
  });
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  await logistics.get('/staff/logistics');
  await logistics.post(`/staff/logistics/${requestId}/reserve`);
  await logistics.get('/staff/logistics');
  const ready = await logistics.post(`/staff/logistics/${requestId}/ready`);
  expect(ready.headers.location).toContain('done=ready_for_pickup');
  expect(await row(requestId)).toMatchObject({ status: 'ready_for_pickup' });
  await logistics.get('/staff/logistics');
  const twice = await logistics.post(`/staff/logistics/${requestId}/ready`);
  expect(twice.statusCode).toBe(409);

  const courier = await approved('+79161110021');
  await database.raw.query(
    "update sims set status = 'defective' where status = 'in_stock' and center_id is null and form_factor = 'triple'",
  );
  await logistics.get('/staff/logistics');
  const empty = await logistics.post(`/staff/logistics/${courier}/reserve`);
  expect(empty.statusCode).toBe(409);
  expect(empty.body).toContain('No SIM of this kind is in stock at the warehouse.');
  expect(await row(courier)).toMatchObject({ status: 'approved', sim_status: null });
});

test('only logistics and admins of this operator see and act on the list', async () => {
  const requestId = await approved('+79161110031');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/logistics')).statusCode).toBe(403);
  const foreign = await staffClient(app, database, 'logistics@sever.example', 'sever.localhost');
  expect((await foreign.get('/staff/logistics')).body).not.toContain(requestId);
  await foreign.get('/staff/home');
  expect((await foreign.post(`/staff/logistics/${requestId}/reserve`)).statusCode).toBe(404);
  expect(await row(requestId)).toMatchObject({ status: 'approved' });
});
