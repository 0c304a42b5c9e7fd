import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveIdentityDocument } from '../../src/app/documents/identity-document.ts';
import { settlePayment, startPayment } from '../../src/app/payments/payments.ts';
import { revealEsimCode } from '../../src/app/requests/activation.ts';
import { cancelRequest } from '../../src/app/requests/cancel-request.ts';
import { assignSim, dispatchRequest, markReadyForPickup, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { handOverPickup, markDelivered } from '../../src/app/requests/hand-over.ts';
import { provideInformation } from '../../src/app/requests/provide-information.ts';
import { submitReplacement } from '../../src/app/requests/submit-replacement.ts';
import { DEMO_SUBSCRIBERS, demoDocument } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { SandboxGateway } from '../../src/integrations/payments/sandbox-gateway.ts';
import { passportPhoto, readyDraft, submittedRequest, testVault } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';

/**
 * Defects a line-by-line review found in the request use cases, each written to fail on the
 * code as it was: half-written failed steps, stale approvals, revealed eSIM profiles back in
 * stock, a hand-over during the hold, a late payment left "failed".
 */
let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
});
afterAll(() => database.close());

/** Every row of every table, as text: equal snapshots mean nothing at all was written. */
async function snapshot(): Promise<string> {
  const tables = await database.raw.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await database.raw.query(`select * from "${name}" t order by t::text`);
    parts.push(`${name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

const statusOf = async (id: string) =>
  (await database.raw.query<{ status: string }>('select status from replacement_requests where id = $1', [id]))[0]
    ?.status;
const free = { reason: 'not_working' as const };
const pickup = async () =>
  (await database.raw.query<{ id: string }>(`select id from service_centers where code = 'MSK-TVER'`))[0]?.id ?? null;

describe('a step refused by the state machine writes nothing', () => {
  test('reserving a SIM for a request not yet approved', async () => {
    const { requestId } = await submittedRequest(database, '+79161110021', free);
    const before = await snapshot();
    const result = await assignSim(database.db, testLinks, staff.logistics, requestId);
    expect(result).toEqual({ ok: false, error: 'transition.not_allowed' });
    expect(await snapshot()).toBe(before);
  });

  test('dispatching a request that holds no SIM', async () => {
    const { requestId } = await submittedRequest(database, '+79161110031', free);
    await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
    const before = await snapshot();
    const parcel = { carrier: 'CDEK', trackingNumber: `T-${randomUUID()}` };
    expect(await dispatchRequest(database.db, testLinks, staff.logistics, requestId, parcel)).toMatchObject({
      ok: false,
    });
    expect(await snapshot()).toBe(before);
  });

  test('marking delivered a parcel that came back', async () => {
    const { requestId } = await submittedRequest(database, '+79161110041', free);
    await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
    await assignSim(database.db, testLinks, staff.logistics, requestId);
    const parcel = { carrier: 'CDEK', trackingNumber: `T-${randomUUID()}` };
    await dispatchRequest(database.db, testLinks, staff.logistics, requestId, parcel);
    await database.raw.query(`update replacement_requests set status = 'returned' where id = $1`, [requestId]);
    const before = await snapshot();
    expect(await markDelivered(database.db, testLinks, staff.logistics, requestId)).toEqual({
      ok: false,
      error: 'transition.not_allowed',
    });
    expect(await snapshot()).toBe(before);
  });

  test('handing over a pickup SIM during the hold after approval', async () => {
    const { requestId } = await submittedRequest(database, '+79161110051', {
      ...free,
      delivery: 'pickup',
      centerId: await pickup(),
      deliveryAddress: null,
    });
    await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
    await assignSim(database.db, testLinks, staff.store_agent, requestId);
    await markReadyForPickup(database.db, testLinks, staff.store_agent, requestId);
    const [sim] = await database.raw.query<{ iccid: string }>(
      'select s.iccid from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
      [requestId],
    );
    const before = await snapshot();
    const handed = await handOverPickup(database.db, testLinks, testConfig.documentKey, staff.store_agent, requestId, {
      iccid: sim!.iccid,
      docType: 'passport_foreign',
      docNumber: 'FX1110051',
    });
    expect(handed).toMatchObject({ ok: false, error: { hold: expect.any(Date) } });
    expect(await snapshot()).toBe(before);
  });
});

test('four eyes: an approval given before "needs more information" no longer counts after it', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110061', free);
  await database.raw.query('update replacement_requests set four_eyes = true where id = $1', [requestId]);
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  expect(await statusOf(requestId)).toBe('second_review');
  await reviewRequest(database.db, testLinks, staff.admin, requestId, {
    decision: 'request_info',
    note: 'The photo is blurred',
  });
  const [cleared] = await database.raw.query<{ first: string | null }>(
    'select first_approver_id as first from replacement_requests where id = $1',
    [requestId],
  );
  expect(cleared?.first).toBeNull();
  const vault = testVault();
  await provideInformation(database.db, vault, actor, requestId, {
    docType: 'passport_ru',
    docNumber: '4506 123456',
    file: await passportPhoto(),
  });
  await reviewRequest(database.db, testLinks, staff.admin, requestId, { decision: 'approve' });
  expect(await statusOf(requestId)).toBe('second_review');
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  expect(await statusOf(requestId)).toBe('approved');
});

test('an eSIM profile whose code was shown is retired when the request ends, never put back in stock', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110081', {
    reason: 'switch_to_esim',
    simType: 'esim',
    delivery: 'esim',
    deliveryAddress: null,
  });
  expect(await statusOf(requestId)).toBe('in_review');
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  await database.raw.query(`update replacement_requests set hold_until = null where id = $1`, [requestId]);
  const revealed = await revealEsimCode(database.db, actor, requestId);
  expect(revealed.ok).toBe(true);
  const [sim] = await database.raw.query<{ id: string }>(
    'select sim_id as id from replacement_requests where id = $1',
    [requestId],
  );
  expect(await cancelRequest(database.db, testLinks, actor, requestId)).toMatchObject({ ok: true });
  const [after] = await database.raw.query<{ status: string }>('select status from sims where id = $1', [sim!.id]);
  expect(after?.status).toBe('deactivated');
});

test('a payment that succeeds after its request stopped waiting for it is refunded, and shown as refunded', async () => {
  const gateway = new SandboxGateway({
    db: database.db,
    webhookSecret: testConfig.paymentWebhookSecret,
    webhookRetryMs: [],
  });
  const { requestId, actor } = await submittedRequest(database, '+79161110091');
  const started = await startPayment(database.db, gateway, actor, requestId, {
    method: 'card',
    attemptKey: randomUUID(),
    returnOrigin: testConfig.publicUrl,
    description: 'test',
  });
  if (!started.ok) throw new Error(started.error);
  await cancelRequest(database.db, testLinks, actor, requestId);
  const ref = started.value.checkoutUrl.split('/').pop() as string;
  await gateway.payByCard(ref, { number: '4242424242424242', expiry: '12/40', cvc: '123' });
  const reported = await gateway.retrieve(ref);
  const settled = await settlePayment(database.db, testLinks, gateway.name, reported!);
  expect(settled).toMatchObject({ ok: true, value: { status: 'refund_pending', failureReason: 'not_due' } });
  await gateway.flushWebhooks();
});

test('a new scan after "more information" is scored again: the contract’s passport first, another one after, and the mismatch shows', async () => {
  const msisdn = '+79161110091';
  const subscriber = DEMO_SUBSCRIBERS.find((s) => s.lines.some((l) => l.msisdn === msisdn));
  if (!subscriber) throw new Error('not a demo number');
  const { requestId, actor } = await readyDraft(database, msisdn, free);
  const vault = testVault();
  const file = await passportPhoto();
  await saveIdentityDocument(database.db, vault, actor, requestId, { ...demoDocument(subscriber), file });
  const submitted = await submitReplacement(database.db, testLinks, testConfig.documentKey, actor, requestId);
  expect(submitted.ok).toBe(true);
  const scored = () =>
    database.raw
      .query<{ signals: string[]; score: number }>(
        'select risk_signals signals, risk_score score from replacement_requests where id = $1',
        [requestId],
      )
      .then((rows) => rows[0]);
  expect((await scored())?.signals).not.toContain('document_mismatch');
  await database.raw.query("update replacement_requests set status = 'in_review', paid_at = now() where id = $1", [
    requestId,
  ]);
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'request_info', note: 'Blurred' });
  const provided = await provideInformation(database.db, vault, actor, requestId, {
    docType: 'passport_foreign',
    docNumber: 'ZZ 9999999',
    file,
  });
  expect(provided.ok).toBe(true);
  const rescored = await scored();
  expect(rescored?.signals).toContain('document_mismatch');
  expect(rescored?.score).toBeGreaterThanOrEqual(25);
});
