import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cancelRequest } from '../../src/app/requests/cancel-request.ts';
import { assignSim, dispatchRequest, reviewRequest, takeBackReturn } from '../../src/app/requests/fulfilment.ts';
import { deliveryFailed } from '../../src/app/requests/hand-over.ts';
import { reportNotMe, wasntMeLink } from '../../src/app/requests/wasnt-me.ts';
import type { Database } from '../../src/db/client.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testLinks } from '../support/test-config.ts';

/**
 * What becomes of a request's SIM card when the request stops holding it: a reserved card and a
 * returned parcel go back on the shelf, a parcel still on its way when the request is frozen is
 * written off as lost, and logistics decides whether a returned card is good or defective.
 */
let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
});
afterAll(() => database.close());

const sim = async (requestId: string) =>
  (
    await database.raw.query<{ id: string; status: string; center_id: string | null; line_id: string | null }>(
      'select s.id, s.status, s.center_id, s.line_id from sims s where s.id = (select sim_id from replacement_requests where id = $1)',
      [requestId],
    )
  )[0];
const cardOf = async (simId: string) =>
  (
    await database.raw.query<{ status: string; center_id: string | null; line_id: string | null }>(
      'select status, center_id, line_id from sims where id = $1',
      [simId],
    )
  )[0];
const requestOf = async (requestId: string) =>
  (
    await database.raw.query<{ status: string; sim_id: string | null }>(
      'select status, sim_id from replacement_requests where id = $1',
      [requestId],
    )
  )[0];

/** A courier request with its card reserved, and with `until` 'dispatched' or 'returned' also on its way or back. */
async function courierRequest(msisdn: string, until: 'reserved' | 'dispatched' | 'returned') {
  const { requestId } = await submittedRequest(database, msisdn, { reason: 'not_working' });
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toMatchObject(
    { ok: true },
  );
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId)).toMatchObject({ ok: true });
  const card = (await sim(requestId)) as { id: string; status: string };
  expect(card.status).toBe('reserved');
  if (until !== 'reserved') {
    const parcel = { carrier: 'CDEK', trackingNumber: `T-${randomUUID().slice(0, 8)}` };
    expect(await dispatchRequest(database.db, testLinks, staff.logistics, requestId, parcel)).toMatchObject({
      ok: true,
    });
    expect((await cardOf(card.id))?.status).toBe('in_transit');
  }
  if (until === 'returned')
    expect(await deliveryFailed(database.db, testLinks, staff.logistics, requestId, 'not_home')).toMatchObject({
      ok: true,
    });
  return { requestId, simId: card.id };
}

const notMe = (requestId: string) => {
  const token = wasntMeLink(testLinks, { publicUrl: null, hostnames: [] }, requestId).split('/').at(-1) as string;
  return database.raw
    .query<{ operator_id: string }>('select operator_id from replacement_requests where id = $1', [requestId])
    .then(([r]) => reportNotMe(database.db, testLinks.secret, r?.operator_id ?? '', token, '10.0.0.9'));
};

test('a reserved card goes back on the shelf when its request is cancelled', async () => {
  const { requestId, simId } = await courierRequest('+79161110001', 'reserved');
  const actor = (
    await database.raw.query<{ operator_id: string; account_id: string }>(
      'select operator_id, account_id from replacement_requests where id = $1',
      [requestId],
    )
  )[0];
  const cancelled = await cancelRequest(
    database.db,
    testLinks,
    {
      operatorId: actor?.operator_id ?? '',
      accountId: actor?.account_id ?? '',
      ip: '10.0.0.9',
    },
    requestId,
  );
  expect(cancelled).toMatchObject({ ok: true });
  expect(await cardOf(simId)).toMatchObject({ status: 'in_stock', line_id: null });
});

test('a parcel on its way when the owner says "this was not me" is written off as lost', async () => {
  const { requestId, simId } = await courierRequest('+79161110011', 'dispatched');
  expect(await notMe(requestId)).toMatchObject({ ok: true });
  expect(await requestOf(requestId)).toEqual({ status: 'frozen', sim_id: null });
  expect(await cardOf(simId)).toMatchObject({ status: 'lost', line_id: null });
});

test('a parcel that came back goes on the shelf when its request is frozen', async () => {
  const { requestId, simId } = await courierRequest('+79161110021', 'returned');
  expect(await notMe(requestId)).toMatchObject({ ok: true });
  expect(await cardOf(simId)).toMatchObject({ status: 'in_stock', line_id: null });
});

test('logistics takes a returned card back as good (warehouse stock) or defective; the request waits for another card', async () => {
  const good = await courierRequest('+79161110031', 'returned');
  expect(await takeBackReturn(database.db, testLinks, staff.logistics, good.requestId, 'good')).toMatchObject({
    ok: true,
  });
  expect(await cardOf(good.simId)).toMatchObject({ status: 'in_stock', center_id: null, line_id: null });
  expect(await requestOf(good.requestId)).toEqual({ status: 'approved', sim_id: null });

  const bad = await courierRequest('+79161110041', 'returned');
  expect(await takeBackReturn(database.db, testLinks, staff.reviewer, bad.requestId, 'defective')).toMatchObject({
    ok: false,
    error: 'staff.forbidden',
  });
  expect(await takeBackReturn(database.db, testLinks, staff.logistics, bad.requestId, 'defective')).toMatchObject({
    ok: true,
  });
  expect(await cardOf(bad.simId)).toMatchObject({ status: 'defective', line_id: null });
  expect(await requestOf(bad.requestId)).toEqual({ status: 'approved', sim_id: null });
});
