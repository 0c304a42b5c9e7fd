import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assignSim, markReadyForPickup, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { handOverPickup } from '../../src/app/requests/hand-over.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { signedInClient, staffClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  staff = await demoStaff(database);
  // A store agent of another Volna center.
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
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** An online pickup request at MSK-TVER, approved, its card reserved and waiting at the center. */
async function readyForPickup(msisdn: string) {
  const [center] = await database.raw.query<{ id: string }>("select id from service_centers where code = 'MSK-TVER'");
  const { requestId } = await submittedRequest(database, msisdn, {
    reason: 'not_working',
    delivery: 'pickup',
    centerId: center?.id ?? null,
    deliveryAddress: null,
  });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.store_agent, requestId);
  await markReadyForPickup(database.db, testLinks, staff.store_agent, requestId);
  const [row] = await database.raw.query<{ reference: string; iccid: string }>(
    'select r.reference, s.iccid from replacement_requests r join sims s on s.id = r.sim_id where r.id = $1',
    [requestId],
  );
  return { requestId, reference: row?.reference ?? '', iccid: row?.iccid ?? '' };
}

const status = async (id: string) =>
  (await database.raw.query<{ status: string }>('select status from replacement_requests where id = $1', [id]))[0]
    ?.status;

test('find by reference or number, check the passport, hand over and activate; mismatches stop it and are recorded', async () => {
  const { requestId, reference, iccid } = await readyForPickup('+79161110011');
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  expect((await agent.get('/staff/pickup')).body).toContain(reference);
  expect((await agent.get(`/staff/pickup?q=${reference.toLowerCase()}`)).body).toContain(`/staff/pickup/${requestId}`);
  expect((await agent.get('/staff/pickup?q=8%20916%20111-00-11')).body).toContain(`/staff/pickup/${requestId}`);
  expect((await agent.get('/staff/pickup?q=R-NOSUCH')).body).toContain('No SIM waiting for pickup matches');

  const page = await agent.get(`/staff/pickup/${requestId}`);
  expect(page.body).toContain(`…${iccid.slice(-5)}`);
  const hand = (fields: Record<string, string>) =>
    agent.post(`/staff/pickup/${requestId}`, { docType: 'passport_foreign', docNumber: 'FX1110011', iccid, ...fields });

  // The contract's passport (Wang Fang's, a Chinese one), not the scan sent with the request.
  expect((await hand({ docType: 'passport_ru', docNumber: '4506 123456' })).statusCode).toBe(409);
  const stranger = await hand({ docNumber: 'FX1110099' });
  expect(stranger.statusCode).toBe(409);
  expect(stranger.body).toContain('The document shown is not the one on file');
  const [mismatch] = await database.raw.query<{ n: number }>(
    "select count(*)::int n from audit_log where action = 'pickup.identity_mismatch' and target_id = $1",
    [requestId],
  );
  expect(mismatch?.n).toBe(2);
  expect((await hand({ docType: 'passport_ru' })).statusCode).toBe(409);

  const wrongCard = await hand({ iccid: '8970100000000009991' });
  expect(wrongCard.statusCode).toBe(400);
  expect(wrongCard.body).toContain('check digit');
  const held = await hand({});
  expect(held.statusCode).toBe(409);
  expect(held.body).toContain('The hold after approval is not over yet');
  expect(await status(requestId)).toBe('ready_for_pickup');

  await database.raw.query("update replacement_requests set hold_until = now() - interval '1 minute' where id = $1", [
    requestId,
  ]);
  const done = await hand({ docNumber: 'FX 111-0011' });
  expect(done.statusCode).toBe(200);
  expect(done.body).toContain('SIM handed over and active');
  expect(await status(requestId)).toBe('activated');
  const [document] = await database.raw.query<{ verified_in_person: boolean }>(
    'select verified_in_person from identity_documents where request_id = $1',
    [requestId],
  );
  expect(document?.verified_in_person).toBe(true);
});

test('an agent of another center, logistics and another operator cannot hand it over', async () => {
  const { requestId, reference, iccid } = await readyForPickup('+79161110021');
  const other = await staffClient(app, database, 'agent-2@volna.example');
  expect((await other.get('/staff/pickup')).body).not.toContain(reference);
  expect((await other.get(`/staff/pickup/${requestId}`)).statusCode).toBe(404);
  await other.get('/staff/home');
  const posted = await other.post(`/staff/pickup/${requestId}`, {
    docType: 'passport_ru',
    docNumber: '4506123456',
    iccid,
  });
  expect(posted.statusCode).toBe(404);
  const [agent2] = await database.raw.query<{ id: string; operator_id: string }>(
    "select id, operator_id from staff_users where email = 'agent-2@volna.example'",
  );
  const direct = await handOverPickup(
    database.db,
    testLinks,
    testConfig.documentKey,
    { operatorId: agent2?.operator_id ?? '', staffId: agent2?.id ?? '', ip: '10.0.0.9' },
    requestId,
    { docType: 'passport_ru', docNumber: '4506123456', iccid },
  );
  expect(direct).toEqual({ ok: false, error: 'staff.other_center' });
  const otherAgent = { operatorId: agent2?.operator_id ?? '', staffId: agent2?.id ?? '', ip: '10.0.0.9' };
  const [center] = await database.raw.query<{ id: string }>("select id from service_centers where code = 'MSK-TVER'");
  const fresh = await submittedRequest(database, '+79161110031', {
    reason: 'not_working',
    delivery: 'pickup',
    centerId: center?.id ?? null,
    deliveryAddress: null,
  });
  await reviewRequest(database.db, testLinks, staff.reviewer, fresh.requestId, { decision: 'approve' });
  expect(await assignSim(database.db, testLinks, otherAgent, fresh.requestId)).toEqual({
    ok: false,
    error: 'staff.other_center',
  });
  expect(await assignSim(database.db, testLinks, staff.store_agent, fresh.requestId)).toMatchObject({ ok: true });
  expect(await markReadyForPickup(database.db, testLinks, otherAgent, fresh.requestId)).toEqual({
    ok: false,
    error: 'staff.other_center',
  });
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  expect((await logistics.get('/staff/pickup')).statusCode).toBe(403);
  expect(await status(requestId)).toBe('ready_for_pickup');
});

test("reserving the card that takes a center below its threshold e-mails that center's agents and logistics, once", async () => {
  const [before] = await database.raw.query<{ n: number }>(
    `select count(*)::int n from sims s join service_centers c on c.id = s.center_id
      where c.code = 'MSK-TVER' and s.status = 'in_stock' and s.form_factor <> 'esim'`,
  );
  await database.raw.query("update service_centers set low_stock_threshold = $1 where code = 'MSK-TVER'", [before?.n]);
  const lowStockMail = async () =>
    (
      await database.raw.query<{ to: string; text: string }>(
        "select payload->>'to' \"to\", payload->>'text' text from outbox where idempotency_key like 'low-stock:%' order by 1",
      )
    ).map((m) => m.to);
  await readyForPickup('+79161110041');
  expect(await lowStockMail()).toEqual(['logistics@volna.example', 'store-agent@volna.example']);
  await readyForPickup('+79161110051');
  expect(await lowStockMail()).toHaveLength(2);
});

test("where the operator's policy leaves activation to the subscriber, the card is handed over and activated online; the status page shows the QR the agent scans", async () => {
  const { requestId, reference, iccid } = await readyForPickup('+79161110061');
  const subscriber = await signedInClient(app, '+79161110061');
  const statusPage = await subscriber.get(`/requests/${requestId}`);
  expect(statusPage.body).toContain(`alt="QR code of request ${reference}"`);
  expect(statusPage.body).toContain('data:image/png;base64');
  await database.raw.query("update operators set pickup_activates_at_counter = false where slug = 'volna'");
  try {
    const agent = await staffClient(app, database, 'store-agent@volna.example');
    expect((await agent.get(`/staff/pickup?q=${reference}`)).body).toContain(`/staff/pickup/${requestId}`);
    await agent.get(`/staff/pickup/${requestId}`);
    const handed = await agent.post(`/staff/pickup/${requestId}`, {
      docType: 'passport_ru',
      docNumber: '4516 110061',
      iccid,
    });
    expect(handed.statusCode).toBe(200);
    expect(handed.body).toContain('The subscriber activates it online');
    expect(await status(requestId)).toBe('delivered');
    await database.raw.query("update replacement_requests set hold_until = now() - interval '1 minute' where id = $1", [
      requestId,
    ]);
    await subscriber.get(`/requests/${requestId}/activate`);
    const activated = await subscriber.post(`/requests/${requestId}/activate`, { iccid });
    expect(activated.statusCode).toBe(303);
    expect(await status(requestId)).toBe('activated');
  } finally {
    await database.raw.query("update operators set pickup_activates_at_counter = true where slug = 'volna'");
  }
});
