import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { saveIdentityDocument } from '../../src/app/documents/identity-document.ts';
import { assignSim, dispatchRequest, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { markDelivered } from '../../src/app/requests/hand-over.ts';
import type { StaffActor } from '../../src/app/requests/staff-step.ts';
import { submitReplacement } from '../../src/app/requests/submit-replacement.ts';
import {
  DEMO_PASSWORD,
  DEMO_SUBSCRIBERS,
  type DemoSubscriber,
  demoDocument,
} from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { type OutboxWorker, outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { buildApp } from '../../src/web/app.ts';
import { pdfText } from '../support/pdf-text.ts';
import { passportPhoto, readyDraft, submittedRequest, testVault } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { signedInClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let network: ProvisioningSimulator;
let worker: OutboxWorker;
let staff: Record<'reviewer' | 'logistics' | 'second', StaffActor>;
beforeAll(async () => {
  database = await seededDatabase();
  network = new ProvisioningSimulator();
  worker = outboxWorker({ db: database.db, handlers: provisioningHandlers(database.db, network) });
  app = await buildApp({ config: testConfig, database, logger: false });
  const all = await demoStaff(database);
  staff = { reviewer: all.reviewer, logistics: all.logistics, second: all.admin };
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const signedIn = (phone: string, lang = 'en', host = 'localhost') => signedInClient(app, phone, lang, host);

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  database.raw.query<T>(text, params);
/** The hold after approval has passed, as if a quarter of an hour went by. */
const holdOver = (id: string) =>
  sql(`update replacement_requests set hold_until = now() - interval '1 minute' where id = $1`, [id]);

test('courier journey: review, SIM, dispatch with tracking, delivery, activation by ICCID, old SIM cut off', async () => {
  const { requestId } = await submittedRequest(database, '+79161110001', { reason: 'not_working' });
  expect(
    (await sql<{ status: string }>('select status from replacement_requests where id = $1', [requestId]))[0]?.status,
  ).toBe('in_review');

  expect(await reviewRequest(database.db, testLinks, staff.logistics, requestId, { decision: 'approve' })).toEqual({
    ok: false,
    error: 'staff.forbidden',
  });
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toEqual({
    ok: true,
    value: 'approved',
  });
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId)).toEqual({
    ok: true,
    value: 'sim_assigned',
  });
  const parcel = { carrier: 'CDEK', trackingNumber: '1234567890' };
  expect(await dispatchRequest(database.db, testLinks, staff.logistics, requestId, parcel)).toEqual({
    ok: true,
    value: 'dispatched',
  });

  const anna = await signedIn('+79161110001');
  const dispatched = await anna.get(`/requests/${requestId}`);
  expect(dispatched.body).toMatch(
    /Dispatched: CDEK, tracking number 1234567890, expected \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d/,
  );
  expect(dispatched.body).not.toContain(`/requests/${requestId}/cancel`);
  const [notice] = await sql<{ text: string }>(
    `select payload->>'text' text from outbox where payload->>'to' = 'anna.ivanova@example.ru' and idempotency_key like 'request-update:%:dispatched:%'`,
  );
  expect(notice?.text).toMatch(/CDEK, трек-номер 1234567890/);

  expect(await markDelivered(database.db, testLinks, staff.logistics, requestId)).toEqual({
    ok: true,
    value: 'delivered',
  });
  const [sim] = await sql<{ iccid: string }>(
    'select s.iccid from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
    [requestId],
  );
  const [other] = await sql<{ iccid: string }>(`select iccid from sims where status = 'in_stock' limit 1`);
  expect((await anna.get(`/requests/${requestId}`)).body).toContain(`href="/requests/${requestId}/activate"`);

  const wrong = await anna.post(`/requests/${requestId}/activate`, { iccid: other!.iccid });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toContain('This is not the card we sent you');
  const typo = await anna.post(`/requests/${requestId}/activate`, {
    iccid: `${sim!.iccid.slice(0, -1)}${(Number(sim!.iccid.slice(-1)) + 1) % 10}`,
  });
  expect(typo.body).toContain('The ICCID check digit is wrong');
  const held = await anna.post(`/requests/${requestId}/activate`, { iccid: sim!.iccid });
  expect(held.body).toContain('For your safety the change waits until');

  await holdOver(requestId);
  const spaced = sim!.iccid.replace(/(\d{4})/g, '$1 ');
  const done = await anna.post(`/requests/${requestId}/activate`, { iccid: spaced });
  expect(done.statusCode).toBe(303);
  const activated = await anna.get(`/requests/${requestId}`);
  expect(activated.body).toContain('Check that everything works');
  expect(activated.body).toContain('Open a web page with Wi-Fi off.');
  expect(activated.body).toContain('Your number is being moved to the new SIM in the network');

  const sims = await sql<{ iccid: string; status: string }>(
    `select s.iccid, s.status from sims s join lines l on l.id = s.line_id where l.msisdn = '+79161110001' order by s.status`,
  );
  expect(sims).toEqual([
    { iccid: sim!.iccid, status: 'active' },
    { iccid: expect.any(String), status: 'deactivated' },
  ]);
  const [change] = await sql<{ n: number; recent: boolean }>(
    `select count(*)::int n, bool_and(l.last_sim_change_at > now() - interval '1 minute') recent
       from sim_changes c join lines l on l.id = c.line_id where c.msisdn = '+79161110001'`,
  );
  expect(change).toEqual({ n: 1, recent: true });
  await worker.drain();
  expect(network.lines.get('+79161110001')).toMatchObject({ iccid: sim!.iccid, status: 'active' });
  const confirmed = (await anna.get(`/requests/${requestId}`)).body;
  expect(confirmed).not.toContain('Your number is being moved to the new SIM in the network');
  expect(confirmed).toContain('The network moved your number to the new SIM');
  const toLine = await sql<{ text: string }>(
    `select payload->>'text' text from outbox where payload->>'to' = '+79161110001' and idempotency_key like 'request-update:%:activated:%'`,
  );
  expect(toLine[0]?.text).toContain('заменена');
  expect(
    await sql(`select 1 from request_events where request_id = $1 and type = 'activate'`, [requestId]),
  ).toHaveLength(1);
});

test('eSIM: the code is shown once after the password, as a QR code and text, then the number switches over', async () => {
  const { requestId } = await submittedRequest(database, '+79161110011', {
    reason: 'switch_to_esim',
    contactName: 'Ли Вэй (李伟)',
  });
  const [row] = await sql<{ status: string; four_eyes: boolean }>(
    'select status, four_eyes from replacement_requests where id = $1',
    [requestId],
  );
  expect(row?.status).toBe('in_review');
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  await holdOver(requestId);

  const li = await signedIn('+79161110011', 'zh');
  expect((await li.get(`/requests/${requestId}`)).body).toContain(`href="/requests/${requestId}/esim"`);
  expect((await li.get(`/requests/${requestId}/esim`)).body).toContain('输入密码后 eSIM 激活码只显示一次');
  const wrong = await li.post(`/requests/${requestId}/esim`, { password: 'wrong-password' });
  expect(wrong.statusCode).toBe(400);
  const shown = await li.post(`/requests/${requestId}/esim`, { password: DEMO_PASSWORD });
  expect(shown.body).toMatch(/<code>LPA:1\$smdp\.volna\.example\$VOLNA-\d{10}<\/code>/);
  expect(shown.body).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="包含 eSIM 激活码的二维码"/);
  const again = await li.post(`/requests/${requestId}/esim`, { password: DEMO_PASSWORD });
  expect(again.body).not.toContain('LPA:1$');
  expect(again.body).toContain('激活码已显示过');

  const switched = await li.post(`/requests/${requestId}/esim/activate`);
  expect(switched.statusCode).toBe(303);
  const page = await li.get(`/requests/${requestId}`);
  expect(page.body).toContain('检查一切是否正常');
  const receipt = await pdfText((await li.get(`/requests/${requestId}/receipt.pdf`)).rawPayload);
  expect(receipt).toContain('申请编号');
  expect(receipt).toContain('李伟');
  expect(receipt).toMatch(/合计：\s*RUB\s*0/);
  expect((await li.get(`/requests/${randomUUID()}/receipt.pdf`)).statusCode).toBe(404);
  const [sim] = await sql<{ form_factor: string }>(
    `select s.form_factor from sims s join lines l on l.id = s.line_id where l.msisdn = '+79161110011' and s.status = 'active'`,
  );
  expect(sim?.form_factor).toBe('esim');
});

test('review asks for a new scan: the subscriber uploads it and the request returns to review; reject refunds nothing unpaid', async () => {
  const { requestId } = await submittedRequest(database, '+79161110021', {
    reason: 'not_working',
    contactName: 'John Smith',
  });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, {
    decision: 'request_info',
    note: 'The photo is blurred, please send a sharper one.',
  });
  const john = await signedIn('+79161110021');
  const page = await john.get(`/requests/${requestId}`);
  expect(page.body).toContain('The photo is blurred, please send a sharper one.');
  expect(page.body).toContain(`action="/requests/${requestId}/document"`);

  const missing = await john.postMultipart(`/requests/${requestId}/document`, {
    docType: 'passport_foreign',
    docNumber: '533380006',
  });
  expect(missing.statusCode).toBe(400);
  expect(missing.body).toContain('Choose a file with the photo page of your document');
  expect(missing.body).toContain('value="533380006"');
  const sent = await john.postMultipart(
    `/requests/${requestId}/document`,
    { docType: 'passport_foreign', docNumber: '533380006' },
    { name: 'document', filename: 'sharp.jpg', content: await passportPhoto(), type: 'image/jpeg' },
  );
  expect(sent.statusCode).toBe(303);
  const events = await sql<{ type: string }>('select type from request_events where request_id = $1 order by id', [
    requestId,
  ]);
  expect(events.map((e) => e.type)).toEqual(['submit', 'request_info', 'info_provided']);

  expect(
    await reviewRequest(database.db, testLinks, staff.reviewer, requestId, {
      decision: 'reject',
      reason: 'Document does not match the account',
    }),
  ).toEqual({ ok: true, value: 'rejected' });
  const rejected = await john.get(`/requests/${requestId}`);
  expect(rejected.body).toContain('Rejected: Document does not match the account');
  expect(await sql(`select 1 from outbox where topic = 'payment.refund'`)).toHaveLength(0);
});

test('a high-risk request needs two different reviewers', async () => {
  await sql(
    `update accounts set password_changed_at = now() - interval '4 days', contacts_changed_at = now() - interval '4 days'
      where id = (select account_id from lines where msisdn = '+79161110031')`,
  );
  const { requestId } = await submittedRequest(database, '+79161110031', {
    reason: 'not_working',
    contactName: 'Someone Else',
  });
  const [row] = await sql<{ four_eyes: boolean; risk_score: number }>(
    'select four_eyes, risk_score from replacement_requests where id = $1',
    [requestId],
  );
  // Password and contacts changed (30 + 30), another name (20), and not the contract's passport (25), capped at 100.
  expect(row).toEqual({ four_eyes: true, risk_score: 100 });
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toEqual({
    ok: true,
    value: 'second_review',
  });
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toEqual({
    ok: false,
    error: 'transition.same_reviewer',
  });
  expect(await reviewRequest(database.db, testLinks, staff.second, requestId, { decision: 'approve' })).toEqual({
    ok: true,
    value: 'approved',
  });
});

test("the passport uploaded is compared with the contract's: another one is a risk signal, the same one is not", async () => {
  const other = await submittedRequest(database, '+79161110041', { reason: 'lost' });
  const owner = DEMO_SUBSCRIBERS.find((s) => s.lines[0]?.msisdn === '+79161110051') as DemoSubscriber;
  const same = await readyDraft(database, '+79161110051', { reason: 'lost' });
  const contract = demoDocument(owner);
  await saveIdentityDocument(database.db, testVault(), same.actor, same.requestId, {
    docType: contract.docType,
    docNumber: ` ${contract.docNumber.replace(/(\d{2})/, '$1 ')} `,
    file: await passportPhoto(),
  });
  const submitted = await submitReplacement(database.db, testLinks, testConfig.documentKey, same.actor, same.requestId);
  expect(submitted.ok).toBe(true);
  const signals = async (id: string) =>
    (await sql<{ risk_signals: string[] }>('select risk_signals from replacement_requests where id = $1', [id]))[0]
      ?.risk_signals;
  expect(await signals(other.requestId)).toEqual(['document_mismatch']);
  expect(await signals(same.requestId)).toEqual([]);
});
