import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { dispatchWithCarrier } from '../../src/app/requests/carrier-booking.ts';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { CarrierSimulator } from '../../src/integrations/carrier/carrier-simulator.ts';
import { signatureHeader } from '../../src/integrations/signed-notifications.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

const SECRET = 'carrier-webhook-secret-for-the-tests-0123456789';
let database: Database;
let app: FastifyInstance;
let staff: Staff;
let carrier: CarrierSimulator;
beforeAll(async () => {
  database = await seededDatabase();
  carrier = new CarrierSimulator({ db: database.db, webhookSecret: SECRET, webhookRetryMs: [20, 50] });
  app = await buildApp({ config: testConfig, database, logger: false, carrier });
  staff = await demoStaff(database);
  // The carrier's own hand-over delivers only where the operator needs no passport check at the door.
  await database.raw.query("update operators set courier_passport_check = false where slug = 'volna'");
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const state = async (id: string) =>
  (
    await database.raw.query<{ status: string; sim_status: string; parcel: string | null; tracking: string | null }>(
      `select r.status, s.status sim_status, sh.status parcel, sh.tracking_number tracking
         from replacement_requests r join sims s on s.id = r.sim_id
         left join shipments sh on sh.request_id = r.id and sh.status not in ('delivered', 'returned')
        where r.id = $1`,
      [id],
    )
  )[0];

/** An approved courier request with its card reserved, booked with the simulated carrier by logistics. */
async function booked(msisdn: string) {
  const { requestId } = await submittedRequest(database, msisdn, { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  await logistics.get('/staff/logistics');
  await logistics.post(`/staff/logistics/${requestId}/reserve`);
  expect((await logistics.get('/staff/logistics')).body).toContain('Book with simpost');
  const book = await logistics.post(`/staff/logistics/${requestId}/book`);
  expect(book.headers.location).toMatch(/done=dispatched/);
  const { tracking } = (await state(requestId)) as { tracking: string };
  expect(tracking).toMatch(/^SP[0-9A-F]{10}RU$/);
  return { requestId, tracking, logistics };
}

const notify = (body: object, signature?: string) => {
  const payload = JSON.stringify(body);
  return app.inject({
    method: 'POST',
    url: '/webhooks/carriers/simpost',
    headers: {
      'content-type': 'application/json',
      'x-carrier-signature': signature ?? signatureHeader(SECRET, payload),
    },
    payload,
  });
};

test('a parcel booked by logistics travels by signed notices until delivered, and the subscriber hears of it', async () => {
  const { requestId, tracking, logistics } = await booked('+79161110021');
  for (const event of ['in_transit', 'out_for_delivery', 'failed_attempt', 'out_for_delivery'] as const) {
    await carrier.advance(tracking, event);
    await carrier.flushNotifications();
    expect(await state(requestId)).toMatchObject({ status: 'dispatched', parcel: event });
  }
  expect((await logistics.get('/staff/logistics')).body).toContain('Out for delivery');
  await carrier.advance(tracking, 'delivered');
  await carrier.flushNotifications();
  const [request] = await database.raw.query<{ status: string; parcel: string }>(
    'select r.status, sh.status parcel from replacement_requests r join shipments sh on sh.request_id = r.id where r.id = $1',
    [requestId],
  );
  expect(request).toEqual({ status: 'delivered', parcel: 'delivered' });
  const events = await database.raw.query<{ event: string }>(
    'select event from carrier_events ce join shipments sh on sh.id = ce.shipment_id where sh.request_id = $1 order by ce.occurred_at, ce.received_at',
    [requestId],
  );
  expect(events.map((e) => e.event)).toEqual([
    'in_transit',
    'out_for_delivery',
    'failed_attempt',
    'out_for_delivery',
    'delivered',
  ]);
  const notices = await database.raw.query<{ step: string; text: string }>(
    `select split_part(idempotency_key, ':', 3) step, payload->>'text' text from outbox
      where topic = 'email.send' and idempotency_key like 'request-update:' || $1 || ':%' order by id`,
    [requestId],
  );
  expect(notices.map((n) => n.step)).toEqual([
    'approved',
    'dispatched',
    'out_for_delivery',
    'delivery_missed',
    'out_for_delivery',
    'delivered',
  ]);
  expect(notices[3]?.text).toContain('will try again');
});

test('a notice sent twice is taken once; forged, stale, malformed and unknown notices change nothing', async () => {
  const { requestId, tracking } = await booked('+79161110001');
  const notice = {
    eventId: 'evt-1',
    trackingNumber: tracking,
    event: 'in_transit',
    occurredAt: new Date().toISOString(),
  };
  expect((await notify(notice)).json()).toEqual({ received: true, duplicate: false });
  expect((await notify(notice)).json()).toEqual({ received: true, duplicate: true });

  const delivered = { ...notice, eventId: 'evt-2', event: 'delivered' };
  const payload = JSON.stringify(delivered);
  const forged = await notify(delivered, signatureHeader('another-secret-of-at-least-32-characters!!', payload));
  expect([forged.statusCode, forged.json()]).toEqual([400, { error: 'webhook.bad_signature' }]);
  const replayed = await notify(delivered, signatureHeader(SECRET, payload, new Date(Date.now() - 10 * 60_000)));
  expect([replayed.statusCode, replayed.json()]).toEqual([400, { error: 'webhook.stale' }]);
  expect((await notify({ ...delivered, event: 'teleported' })).json()).toEqual({ error: 'webhook.malformed' });
  const unknown = await notify({ ...delivered, trackingNumber: 'SP0000000000RU' });
  expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'shipment.unknown' }]);
  expect(await state(requestId)).toMatchObject({ status: 'dispatched', parcel: 'in_transit' });

  // Late and out of order: an older "in transit" does not undo "delivered".
  expect((await notify(delivered)).statusCode).toBe(200);
  expect((await notify({ ...notice, eventId: 'evt-3' })).statusCode).toBe(200);
  const [after] = await database.raw.query<{ status: string; parcel: string }>(
    'select r.status, sh.status parcel from replacement_requests r join shipments sh on sh.request_id = r.id where r.id = $1',
    [requestId],
  );
  expect(after).toEqual({ status: 'delivered', parcel: 'delivered' });
});

test('a returned parcel comes back to logistics, which sends it again or puts the card back on the shelf', async () => {
  const { requestId, tracking, logistics } = await booked('+79161110011');
  await carrier.advance(tracking, 'returned');
  await carrier.flushNotifications();
  const [returned] = await database.raw.query<{ status: string }>(
    'select status from replacement_requests where id = $1',
    [requestId],
  );
  expect(returned?.status).toBe('returned');
  const page = (await logistics.get('/staff/logistics')).body;
  expect(page).toContain(`/staff/logistics/${requestId}/restock`);

  const again = await logistics.post(`/staff/logistics/${requestId}/book`);
  expect(again.headers.location).toMatch(/done=dispatched/);
  const second = (await state(requestId)) as { tracking: string };
  expect(second.tracking).not.toBe(tracking);
  await carrier.advance(second.tracking, 'returned');
  await carrier.flushNotifications();

  const [sim] = await database.raw.query<{ sim_id: string }>('select sim_id from replacement_requests where id = $1', [
    requestId,
  ]);
  const defective = await logistics.post(`/staff/logistics/${requestId}/defective`);
  expect(defective.headers.location).toMatch(/done=approved/);
  const [after] = await database.raw.query<{ status: string; sim_id: string | null; card: string }>(
    'select r.status, r.sim_id, s.status card from replacement_requests r, sims s where r.id = $1 and s.id = $2',
    [requestId, sim?.sim_id],
  );
  expect(after).toEqual({ status: 'approved', sim_id: null, card: 'defective' });
  expect((await logistics.post(`/staff/logistics/${requestId}/reserve`)).headers.location).toMatch(/done=sim_assigned/);
});

test('booking is idempotent and survives a carrier outage; the simulated journey ends delivered or returned', async () => {
  const parcel = {
    idempotencyKey: 'k-1',
    reference: 'R-TEST01',
    recipient: { name: 'A', phone: '+7', address: 'x' },
    handOverInPerson: false,
  };
  const first = await carrier.bookParcel(parcel);
  expect(await carrier.bookParcel(parcel)).toEqual(first);

  const down = new CarrierSimulator({ db: database.db, webhookSecret: SECRET, failureRate: 1 });
  await expect(down.bookParcel({ ...parcel, idempotencyKey: 'k-2' })).rejects.toThrow('simulated outage');

  let coin = 0;
  const journeys = new CarrierSimulator({
    db: database.db,
    webhookSecret: SECRET,
    stepMs: 1_000,
    failedAttemptRate: 1,
    maxAttempts: 2,
    random: () => (coin++ % 2) / 2,
  });
  const { trackingNumber } = await journeys.bookParcel({ ...parcel, idempotencyKey: 'k-3' }, new Date(0));
  const seen: string[] = [];
  for (let step = 1; step <= 8; step++) {
    const moved = await journeys.advance(trackingNumber, undefined, new Date(step * 1_000));
    if (!moved) break;
    seen.push(moved);
  }
  expect(seen).toEqual([
    'in_transit',
    'out_for_delivery',
    'failed_attempt',
    'out_for_delivery',
    'failed_attempt',
    'returned',
  ]);
  expect(await journeys.tick(new Date(60_000))).toBe(0);

  // Where the passport is checked at the door, the parcel goes out for delivery and waits there.
  const atDoor = await journeys.bookParcel({ ...parcel, idempotencyKey: 'k-4', handOverInPerson: true }, new Date(0));
  const legs: string[] = [];
  for (let step = 1; step <= 5; step++) {
    const moved = await journeys.advance(atDoor.trackingNumber, undefined, new Date(step * 1_000));
    if (!moved) break;
    legs.push(moved);
  }
  expect(legs).toEqual(['in_transit', 'out_for_delivery']);
});

test('nothing is booked with the carrier for a dispatch that would be refused: the SIM-change lock, a role without it', async () => {
  const { requestId } = await submittedRequest(database, '+79161110101', { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  expect((await assignSim(database.db, testLinks, staff.logistics, requestId)).ok).toBe(true);
  const parcels = async () =>
    (await database.raw.query<{ n: number }>('select count(*)::int n from sandbox_parcels'))[0]?.n ?? 0;
  const before = await parcels();
  expect(await dispatchWithCarrier(database.db, testLinks, carrier, staff.reviewer, requestId)).toEqual({
    ok: false,
    error: 'staff.forbidden',
  });
  await database.raw.query(
    'update accounts set sim_change_lock = true where id = (select account_id from replacement_requests where id = $1)',
    [requestId],
  );
  expect(await dispatchWithCarrier(database.db, testLinks, carrier, staff.logistics, requestId)).toEqual({
    ok: false,
    error: 'request.sim_change_locked',
  });
  expect(await parcels()).toBe(before);
  expect((await state(requestId))?.status).toBe('sim_assigned');
});

test('where the operator checks the passport at the door, the carrier saying "delivered" moves nothing: the courier delivers, once', async () => {
  await database.raw.query("update operators set courier_passport_check = true where slug = 'volna'");
  try {
    const { requestId, tracking } = await booked('+79161110031');
    for (const event of ['in_transit', 'out_for_delivery', 'delivered'] as const)
      await carrier.advance(tracking, event);
    await carrier.flushNotifications();
    expect(await state(requestId)).toMatchObject({ status: 'dispatched', parcel: 'out_for_delivery' });
    const [held] = await database.raw.query<{ n: number }>(
      "select count(*)::int n from audit_log where action = 'parcel.delivered' and target_id = $1 and data->>'heldForDoorCheck' = 'true'",
      [requestId],
    );
    expect(held?.n).toBe(1);
    const courier = await staffClient(app, database, 'courier@volna.example');
    await courier.get(`/staff/courier/${requestId}`);
    const done = await courier.post(`/staff/courier/${requestId}/delivered`, {
      docType: 'passport_ru',
      lastDigits: '0031',
    });
    expect(done.headers.location).toBe('/staff/courier?done=delivered');
    const [request] = await database.raw.query<{ status: string }>(
      'select status from replacement_requests where id = $1',
      [requestId],
    );
    expect(request?.status).toBe('delivered');
    await carrier.advance(tracking, 'delivered');
    await carrier.flushNotifications();
    const delivered = await database.raw.query<{ n: number }>(
      "select count(*)::int n from request_events where request_id = $1 and type = 'deliver'",
      [requestId],
    );
    expect(delivered[0]?.n).toBe(1);
  } finally {
    await database.raw.query("update operators set courier_passport_check = false where slug = 'volna'");
  }
});
