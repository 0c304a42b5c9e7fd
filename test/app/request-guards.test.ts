import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { settlePayment, startPayment } from '../../src/app/payments/payments.ts';
import { revealEsimCode } from '../../src/app/requests/activation.ts';
import { cancelRequest } from '../../src/app/requests/cancel-request.ts';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { SandboxGateway } from '../../src/integrations/payments/sandbox-gateway.ts';
import { readyDraft, submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';

/** Guards no journey test passes through: one-time eSIM codes, staff and their own requests, forged amounts. */
let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
});
afterAll(() => database.close());

const row = async (sql: string, id: string) => (await database.raw.query<Record<string, unknown>>(sql, [id]))[0];

test('an eSIM activation code is shown once, even to two tabs asking at the same moment', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110101', {
    reason: 'switch_to_esim',
    simType: 'esim',
    delivery: 'esim',
    deliveryAddress: null,
  });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId)).toMatchObject({ ok: true });
  await database.raw.query('update replacement_requests set hold_until = null where id = $1', [requestId]);

  const answers = await Promise.all([
    revealEsimCode(database.db, actor, requestId),
    revealEsimCode(database.db, actor, requestId),
  ]);
  const shown = answers.filter((a) => a.ok);
  expect(shown).toHaveLength(1);
  expect(shown[0]).toMatchObject({ ok: true, value: { code: expect.stringMatching(/^LPA:1\$[^$]+\$[^$]+$/) } });
  expect(answers.find((a) => !a.ok)).toEqual({ ok: false, error: 'activation.already_shown' });
  expect(await revealEsimCode(database.db, actor, requestId)).toEqual({
    ok: false,
    error: 'activation.already_shown',
  });
  const audits = await database.raw.query(
    `select 1 from audit_log where action = 'esim.code_shown' and target_id = $1`,
    [requestId],
  );
  expect(audits).toHaveLength(1);
});

test('staff cannot review or fulfil a request they created themselves', async () => {
  const { requestId } = await submittedRequest(database, '+79161110111', { reason: 'not_working' });
  await database.raw.query('update replacement_requests set created_by_staff_id = $2 where id = $1', [
    requestId,
    staff.reviewer.staffId,
  ]);
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toEqual({
    ok: false,
    error: 'request.own',
  });
  expect(await row('select status, first_approver_id from replacement_requests where id = $1', requestId)).toEqual({
    status: 'in_review',
    first_approver_id: null,
  });
  expect(await reviewRequest(database.db, testLinks, staff.admin, requestId, { decision: 'approve' })).toMatchObject({
    ok: true,
  });
});

test('a payment reported with another amount or currency is refused and changes nothing', async () => {
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
  const ref = started.value.checkoutUrl.split('/').pop() as string;
  await gateway.payByCard(ref, { number: '4242424242424242', expiry: '12/40', cvc: '123' });
  const reported = await gateway.retrieve(ref);
  if (!reported) throw new Error('the gateway lost the payment');

  for (const forged of [
    { ...reported, amountMinor: reported.amountMinor - 1 },
    { ...reported, currency: 'USD' },
  ])
    expect(await settlePayment(database.db, testLinks, gateway.name, forged)).toEqual({
      ok: false,
      error: 'payment.mismatch',
    });
  expect(await row('select status from payments where provider_ref = $1', ref)).toEqual({ status: 'pending' });
  expect(await row('select status from replacement_requests where id = $1', requestId)).toEqual({
    status: 'awaiting_payment',
  });
  expect(await settlePayment(database.db, testLinks, gateway.name, reported)).toMatchObject({
    ok: true,
    value: { status: 'succeeded' },
  });
  await gateway.flushWebhooks();
});

test('a draft can be given up: it ends cancelled without having been submitted', async () => {
  const { requestId, actor } = await readyDraft(database, '+79161110051');
  expect(await cancelRequest(database.db, testLinks, actor, requestId)).toEqual({ ok: true, value: { refund: false } });
  expect(await row('select status, submitted_at from replacement_requests where id = $1', requestId)).toEqual({
    status: 'cancelled',
    submitted_at: null,
  });
});

test('submission scores a SIM-change lock lifted days ago and a run of requests', async () => {
  await database.raw.query(
    `update accounts set sim_change_lock = true, lock_release_at = now() - interval '2 days'
      where id = (select account_id from lines where msisdn = '+79161110061')`,
  );
  // The helper uploads a passport other than the contract's, itself a signal.
  const first = await submittedRequest(database, '+79161110061', { reason: 'not_working' });
  expect(await row('select risk_signals from replacement_requests where id = $1', first.requestId)).toEqual({
    risk_signals: ['document_mismatch', 'lock_lifted_recently'],
  });
  await cancelRequest(database.db, testLinks, first.actor, first.requestId);
  const second = await submittedRequest(database, '+79161110061', { reason: 'not_working' });
  await cancelRequest(database.db, testLinks, second.actor, second.requestId);
  const third = await submittedRequest(database, '+79161110061', { reason: 'not_working' });
  expect(await row('select risk_signals from replacement_requests where id = $1', third.requestId)).toEqual({
    risk_signals: ['document_mismatch', 'lock_lifted_recently', 'many_requests'],
  });
});
