import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { activateDeliveredSim, activateEsim, revealEsimCode } from '../../src/app/requests/activation.ts';
import { cancelRequest } from '../../src/app/requests/cancel-request.ts';
import { assignSim, dispatchRequest, markReadyForPickup, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { deliveryFailed, handOverPickup, markDelivered } from '../../src/app/requests/hand-over.ts';
import { swapKey } from '../../src/app/requests/network-confirmation.ts';
import { startReplacement } from '../../src/app/requests/replacement-draft.ts';
import { submitReplacement } from '../../src/app/requests/submit-replacement.ts';
import { DEMO_SUBSCRIBERS, demoDocument } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { readyDraft, submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';

/**
 * What each step of a request leaves behind besides its status, read back as the back office,
 * the operator's systems and the subscriber see it: the timeline event, the audit entry, the
 * webhook, the subscriber's notice, and the step's own records (the card, the parcel, the line).
 */
let database: Database;
let staff: Staff;
let holdMinutes: number;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
  await database.raw.query(
    `insert into webhook_subscriptions (operator_id, url, events, secret_encrypted)
       select id, 'https://crm.volna.example/hooks', array['request.status_changed', 'sim.activated'], 'sealed'
       from operators where slug = 'volna'`,
  );
  const [operator] = await database.raw.query<{ hold: number }>(
    "select swap_hold_minutes hold from operators where slug = 'volna'",
  );
  holdMinutes = operator?.hold ?? 0;
});
afterAll(() => database.close());

const row = async <T extends Record<string, unknown>>(sql: string, params: unknown[]) =>
  (await database.raw.query<T>(sql, params))[0] as T;
const rows = <T extends Record<string, unknown>>(sql: string, params: unknown[]) => database.raw.query<T>(sql, params);

const lastEvent = (requestId: string) =>
  row<Record<string, unknown>>(
    `select type, from_status, to_status, actor_kind, actor_id, data from request_events
      where request_id = $1 order by created_at desc, id desc limit 1`,
    [requestId],
  );
const lastAudit = (targetId: string) =>
  row<Record<string, unknown>>(
    `select action, actor_kind, actor_id, target_kind, ip, data from audit_log
      where target_id = $1 order by id desc limit 1`,
    [targetId],
  );
const lastHook = (requestId: string) =>
  row<{ type: string; data: Record<string, unknown> }>(
    `select body->>'type' as type, body->'data' as data from webhook_deliveries
      where body->'data'->>'requestId' = $1 order by id desc limit 1`,
    [requestId],
  );
const notices = async (requestId: string) =>
  (
    await rows<{ update: string }>(
      `select distinct split_part(idempotency_key, ':', 3) as update from outbox
        where idempotency_key like 'request-update:' || $1 || ':%'`,
      [requestId],
    )
  )
    .map((n) => n.update)
    .sort();
const requestRow = (requestId: string) =>
  row<Record<string, unknown>>(
    `select status, reference, sim_id, hold_until, rejection_reason, info_request, activated_at, paid_at
       from replacement_requests where id = $1`,
    [requestId],
  );
const card = (simId: string) =>
  row<Record<string, unknown>>(
    'select iccid, imsi, status, line_id, center_id, activated_at, deactivated_at from sims where id = $1',
    [simId],
  );
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

test('a courier request from review to activation: each step writes its event, audit entry, webhook, notice and records', async () => {
  const msisdn = '+79161110021';
  const { requestId, actor } = await submittedRequest(database, msisdn, { reason: 'not_working' });
  const { reference } = await requestRow(requestId);
  const t = new Date(Date.now() + 60_000);

  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' }, t)).toEqual({
    ok: true,
    value: 'approved',
  });
  expect((await requestRow(requestId)).hold_until).toEqual(minutes(t, holdMinutes));
  expect(await lastEvent(requestId)).toEqual({
    type: 'approve',
    from_status: 'in_review',
    to_status: 'approved',
    actor_kind: 'staff',
    actor_id: staff.reviewer.staffId,
    data: { by: staff.reviewer.staffId, inPerson: false },
  });
  expect(await lastAudit(requestId)).toEqual({
    action: 'request.approve',
    actor_kind: 'staff',
    actor_id: staff.reviewer.staffId,
    target_kind: 'replacement_request',
    ip: staff.reviewer.ip,
    data: { reference, to: 'approved', by: staff.reviewer.staffId, inPerson: false },
  });
  expect(await lastHook(requestId)).toEqual({
    type: 'request.status_changed',
    data: { requestId, reference, from: 'in_review', to: 'approved', event: 'approve' },
  });
  expect(await notices(requestId)).toContain('approved');

  const first = await row<{ id: string }>(
    `select s.id from sims s join operators o on o.id = s.operator_id
      where o.slug = 'volna' and s.status = 'in_stock' and s.form_factor = 'triple' and s.center_id is null
      order by s.iccid limit 1`,
    [],
  );
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId, minutes(t, 1))).toEqual({
    ok: true,
    value: 'sim_assigned',
  });
  expect((await requestRow(requestId)).sim_id).toBe(first.id);
  expect(await card(first.id)).toMatchObject({ status: 'reserved', line_id: null });
  expect(await lastAudit(requestId)).toMatchObject({
    action: 'request.assign_sim',
    data: { reference, to: 'sim_assigned', simId: first.id },
  });

  const parcel = { carrier: 'CDEK', trackingNumber: `T-${randomUUID().slice(0, 8)}` };
  expect(await dispatchRequest(database.db, testLinks, staff.logistics, requestId, parcel, minutes(t, 2))).toEqual({
    ok: true,
    value: 'dispatched',
  });
  const shipment = await row<Record<string, unknown>>(
    'select carrier, tracking_number, status, expected_from, expected_to, dispatched_at from shipments where request_id = $1',
    [requestId],
  );
  expect(shipment).toMatchObject({
    carrier: 'CDEK',
    tracking_number: parcel.trackingNumber,
    status: 'in_transit',
    dispatched_at: minutes(t, 2),
  });
  expect(String(shipment.expected_from) <= String(shipment.expected_to)).toBe(true);
  expect(await card(first.id)).toMatchObject({ status: 'in_transit' });
  expect((await lastAudit(requestId)).data).toMatchObject({ reference, to: 'dispatched', ...parcel });
  expect(await notices(requestId)).toContain('dispatched');

  expect(await markDelivered(database.db, testLinks, staff.logistics, requestId, minutes(t, 3))).toEqual({
    ok: true,
    value: 'delivered',
  });
  expect(await row('select status, delivered_at from shipments where request_id = $1', [requestId])).toEqual({
    status: 'delivered',
    delivered_at: minutes(t, 3),
  });
  expect(await lastAudit(requestId)).toMatchObject({ action: 'request.deliver', data: { reference, to: 'delivered' } });
  expect(await notices(requestId)).toContain('delivered');

  const { iccid, imsi } = (await card(first.id)) as { iccid: string; imsi: string };
  const line = await row<{ id: string; sim_id: string }>(
    "select l.id, s.id sim_id from lines l join sims s on s.line_id = l.id and s.status = 'active' where l.msisdn = $1",
    [msisdn],
  );

  expect(await activateDeliveredSim(database.db, testLinks, actor, requestId, iccid, minutes(t, 4))).toEqual({
    ok: false,
    error: { hold: minutes(t, holdMinutes) },
  });
  expect(await activateDeliveredSim(database.db, testLinks, actor, requestId, '123', minutes(t, 4))).toMatchObject({
    ok: false,
    error: expect.stringMatching(/^iccid\./),
  });
  const after = minutes(t, holdMinutes + 1);
  const other = await row<{ iccid: string }>(
    "select iccid from sims where status = 'in_stock' and form_factor = 'triple' order by iccid limit 1",
    [],
  );
  expect(await activateDeliveredSim(database.db, testLinks, actor, requestId, other.iccid, after)).toEqual({
    ok: false,
    error: 'activation.wrong_sim',
  });
  expect(await lastAudit(requestId)).toMatchObject({
    action: 'sim.activation_refused',
    actor_kind: 'subscriber',
    actor_id: actor.accountId,
    target_kind: 'replacement_request',
    ip: actor.ip,
  });
  expect((await requestRow(requestId)).status).toBe('delivered');

  expect(await activateDeliveredSim(database.db, testLinks, actor, requestId, iccid, after)).toEqual({
    ok: true,
    value: { msisdn },
  });
  expect(await requestRow(requestId)).toMatchObject({ status: 'activated', activated_at: after });
  expect(await card(first.id)).toMatchObject({
    status: 'active',
    line_id: line.id,
    center_id: null,
    activated_at: after,
  });
  expect(await card(line.sim_id)).toMatchObject({ status: 'deactivated', deactivated_at: after });
  expect(await row('select status, blocked_at, last_sim_change_at from lines where id = $1', [line.id])).toEqual({
    status: 'active',
    blocked_at: null,
    last_sim_change_at: after,
  });
  expect(
    await row('select msisdn, old_sim_id, new_sim_id, channel, changed_at from sim_changes where request_id = $1', [
      requestId,
    ]),
  ).toEqual({ msisdn, old_sim_id: line.sim_id, new_sim_id: first.id, channel: 'online', changed_at: after });
  expect(
    await row<Record<string, unknown>>('select topic, payload from outbox where idempotency_key = $1', [
      swapKey(requestId),
    ]),
  ).toEqual({ topic: 'line.swap_sim', payload: { msisdn, newIccid: iccid, newImsi: imsi } });
  expect(await lastHook(requestId)).toEqual({
    type: 'sim.activated',
    data: { requestId, reference, msisdn, iccid },
  });
  expect(await lastAudit(line.id)).toEqual({
    action: 'sim.swap',
    actor_kind: 'subscriber',
    actor_id: actor.accountId,
    target_kind: 'line',
    ip: actor.ip,
    data: { reference, oldSimId: line.sim_id, newSimId: first.id },
  });
  expect(await lastEvent(requestId)).toMatchObject({
    type: 'activate',
    from_status: 'delivered',
    to_status: 'activated',
    actor_kind: 'subscriber',
    actor_id: actor.accountId,
  });
  expect(await notices(requestId)).toContain('activated');
  expect(await activateDeliveredSim(database.db, testLinks, actor, requestId, iccid, after)).toEqual({
    ok: false,
    error: 'activation.not_ready',
  });
});

test('a rejection and a request for information keep what the reviewer wrote and tell the subscriber', async () => {
  const rejected = await submittedRequest(database, '+79161110051', { reason: 'not_working' });
  expect(
    await reviewRequest(database.db, testLinks, staff.reviewer, rejected.requestId, {
      decision: 'reject',
      reason: 'The photo is not readable',
    }),
  ).toEqual({ ok: true, value: 'rejected' });
  expect(await requestRow(rejected.requestId)).toMatchObject({
    status: 'rejected',
    rejection_reason: 'The photo is not readable',
    hold_until: null,
  });
  expect((await lastAudit(rejected.requestId)).data).toMatchObject({
    to: 'rejected',
    reason: 'The photo is not readable',
  });
  expect(await notices(rejected.requestId)).toContain('rejected');

  const asked = await submittedRequest(database, '+79161110061', { reason: 'not_working' });
  expect(
    await reviewRequest(database.db, testLinks, staff.reviewer, asked.requestId, {
      decision: 'request_info',
      note: 'Please send the page with the photo',
    }),
  ).toEqual({ ok: true, value: 'needs_info' });
  expect(await requestRow(asked.requestId)).toMatchObject({
    status: 'needs_info',
    info_request: 'Please send the page with the photo',
  });
  expect(await notices(asked.requestId)).toContain('needs_info');
  expect(
    await reviewRequest(database.db, testLinks, staff.logistics, asked.requestId, { decision: 'approve' }),
  ).toEqual({ ok: false, error: 'staff.forbidden' });
});

test('a failed delivery sends the parcel back with its outcome on the timeline; a cancelled request is audited and told', async () => {
  const { requestId } = await submittedRequest(database, '+79161110081', { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  await dispatchRequest(database.db, testLinks, staff.logistics, requestId, {
    carrier: 'CDEK',
    trackingNumber: 'T-RET',
  });
  expect(await deliveryFailed(database.db, testLinks, staff.reviewer, requestId, 'refused')).toEqual({
    ok: false,
    error: 'staff.forbidden',
  });
  expect(await deliveryFailed(database.db, testLinks, staff.logistics, requestId, 'refused')).toEqual({
    ok: true,
    value: 'returned',
  });
  expect(await row('select status from shipments where request_id = $1', [requestId])).toEqual({ status: 'returned' });
  expect(await lastEvent(requestId)).toMatchObject({ type: 'delivery_failed', data: { outcome: 'refused' } });
  expect((await lastAudit(requestId)).data).toMatchObject({ to: 'returned', outcome: 'refused' });

  const withdrawn = await submittedRequest(database, '+79161110091', { reason: 'not_working' });
  expect(await cancelRequest(database.db, testLinks, withdrawn.actor, withdrawn.requestId)).toEqual({
    ok: true,
    value: { refund: false },
  });
  expect(await lastAudit(withdrawn.requestId)).toEqual({
    action: 'request.cancel',
    actor_kind: 'subscriber',
    actor_id: withdrawn.actor.accountId,
    target_kind: 'replacement_request',
    ip: withdrawn.actor.ip,
    data: {},
  });
  expect(await notices(withdrawn.requestId)).toContain('cancelled');
  expect(await cancelRequest(database.db, testLinks, withdrawn.actor, withdrawn.requestId)).toEqual({
    ok: false,
    error: 'request.cannot_cancel',
  });
  const stranger = { ...withdrawn.actor, accountId: randomUUID() };
  expect(await cancelRequest(database.db, testLinks, stranger, requestId)).toEqual({
    ok: false,
    error: 'request.not_found',
  });
});

test('a pickup card is reserved from the chosen center; only that center (or logistics) marks it ready', async () => {
  const [center] = await rows<{ id: string }>("select id from service_centers where code = 'MSK-TVER'", []);
  const { requestId } = await submittedRequest(database, '+79161110101', {
    reason: 'not_working',
    delivery: 'pickup',
    centerId: center?.id ?? null,
    deliveryAddress: null,
  });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  expect(await assignSim(database.db, testLinks, staff.store_agent, requestId)).toEqual({
    ok: true,
    value: 'sim_assigned',
  });
  const reserved = await row<{ center_id: string; status: string }>(
    'select s.center_id, s.status from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
    [requestId],
  );
  expect(reserved).toEqual({ center_id: center?.id, status: 'reserved' });
  expect(await markReadyForPickup(database.db, testLinks, staff.reviewer, requestId)).toEqual({
    ok: false,
    error: 'staff.forbidden',
  });
  expect(await markReadyForPickup(database.db, testLinks, staff.logistics, requestId)).toEqual({
    ok: true,
    value: 'ready_for_pickup',
  });
  expect(await notices(requestId)).toContain('ready_for_pickup');
  expect(await lastAudit(requestId)).toMatchObject({ action: 'request.mark_ready', data: { to: 'ready_for_pickup' } });
});

const contractDocument = (msisdn: string) => {
  const subscriber = DEMO_SUBSCRIBERS.find((s) => s.lines.some((l) => l.msisdn === msisdn));
  if (!subscriber) throw new Error(`no demo subscriber for ${msisdn}`);
  return demoDocument(subscriber);
};

test('an eSIM code is shown once, after the hold, outside the SIM-change lock; the number then moves to the eSIM', async () => {
  const msisdn = '+79161110071';
  const { requestId, actor } = await submittedRequest(database, msisdn, {
    reason: 'not_working',
    simType: 'esim',
    delivery: 'esim',
    deliveryAddress: null,
  });
  const t = new Date(Date.now() + 60_000);
  const approved = await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' }, t);
  expect(approved).toEqual({ ok: true, value: 'approved' });
  expect(await revealEsimCode(database.db, actor, requestId, t)).toEqual({ ok: false, error: 'activation.not_ready' });
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId, t)).toEqual({
    ok: true,
    value: 'sim_assigned',
  });
  const profile = await row<{ iccid: string; esim_matching_id: string; form_factor: string }>(
    'select s.iccid, s.esim_matching_id, s.form_factor from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
    [requestId],
  );
  expect(profile.form_factor).toBe('esim');

  expect(await activateEsim(database.db, testLinks, actor, requestId, t)).toEqual({
    ok: false,
    error: 'activation.not_ready',
  });
  const stranger = { ...actor, accountId: randomUUID() };
  expect(await revealEsimCode(database.db, stranger, requestId, t)).toEqual({ ok: false, error: 'request.not_found' });
  expect(await activateEsim(database.db, testLinks, stranger, requestId, t)).toEqual({
    ok: false,
    error: 'request.not_found',
  });
  expect(await revealEsimCode(database.db, actor, requestId, minutes(t, 1))).toEqual({
    ok: false,
    error: { hold: minutes(t, holdMinutes) },
  });
  const after = minutes(t, holdMinutes + 1);
  await database.raw.query('update accounts set sim_change_lock = true, lock_release_at = null where id = $1', [
    actor.accountId,
  ]);
  expect(await revealEsimCode(database.db, actor, requestId, after)).toEqual({
    ok: false,
    error: 'request.sim_change_locked',
  });
  await database.raw.query('update accounts set sim_change_lock = false where id = $1', [actor.accountId]);

  expect(await revealEsimCode(database.db, actor, requestId, after)).toEqual({
    ok: true,
    value: { code: `LPA:1$smdp.volna.example$${profile.esim_matching_id}` },
  });
  expect(await row('select activation_code_shown_at from replacement_requests where id = $1', [requestId])).toEqual({
    activation_code_shown_at: after,
  });
  expect(await lastAudit(requestId)).toMatchObject({
    action: 'esim.code_shown',
    actor_kind: 'subscriber',
    actor_id: actor.accountId,
    target_kind: 'replacement_request',
    ip: actor.ip,
  });
  expect(await revealEsimCode(database.db, actor, requestId, after)).toEqual({
    ok: false,
    error: 'activation.already_shown',
  });

  expect(await activateEsim(database.db, testLinks, actor, requestId, after)).toEqual({ ok: true, value: { msisdn } });
  expect((await requestRow(requestId)).status).toBe('activated');
  expect(await row('select status from sims where iccid = $1', [profile.iccid])).toEqual({ status: 'active' });
});

test('a courier request is not an eSIM: its card has no code to show', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110041', { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  const later = minutes(new Date(), holdMinutes + 1);
  expect(await revealEsimCode(database.db, actor, requestId, later)).toEqual({
    ok: false,
    error: 'activation.not_ready',
  });
  expect(await activateEsim(database.db, testLinks, actor, requestId, later)).toEqual({
    ok: false,
    error: 'activation.not_ready',
  });
  expect(await activateDeliveredSim(database.db, testLinks, actor, requestId, '8970199000000000001', later)).toEqual({
    ok: false,
    error: 'activation.not_ready',
  });
});

test("the courier's door check: the document's type and at least four last digits of the contract's number", async () => {
  const msisdn = '+79161110031';
  const { requestId } = await submittedRequest(database, msisdn, { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  await dispatchRequest(database.db, testLinks, staff.logistics, requestId, {
    carrier: 'CDEK',
    trackingNumber: 'T-DOOR',
  });
  const onFile = contractDocument(msisdn);
  const digits = onFile.docNumber.replace(/\D/g, '');
  const deliver = (check: { docType: 'passport_ru' | 'passport_foreign'; lastDigits: string } | null) =>
    markDelivered(database.db, testLinks, staff.logistics, requestId, new Date(), {
      check,
      documentKey: testConfig.documentKey,
    });
  await database.raw.query("update operators set courier_passport_check = true where slug = 'volna'");
  try {
    const mismatch = { ok: false, error: 'identity.mismatch' };
    expect(await deliver(null)).toEqual(mismatch);
    expect(await lastAudit(requestId)).toMatchObject({
      action: 'delivery.identity_mismatch',
      actor_id: staff.logistics.staffId,
      target_kind: 'replacement_request',
    });
    expect(await deliver({ docType: onFile.docType, lastDigits: digits.slice(-3) })).toEqual(mismatch);
    expect(await deliver({ docType: 'passport_foreign', lastDigits: digits.slice(-4) })).toEqual(mismatch);
    const wrong = `${digits.slice(-4, -1)}${(Number(digits.at(-1)) + 1) % 10}`;
    expect(await deliver({ docType: onFile.docType, lastDigits: wrong })).toEqual(mismatch);
    expect((await requestRow(requestId)).status).toBe('dispatched');
    expect(
      await deliver({ docType: onFile.docType, lastDigits: ` ${digits.slice(-5, -2)}-${digits.slice(-2)} ` }),
    ).toEqual({
      ok: true,
      value: 'delivered',
    });
  } finally {
    await database.raw.query("update operators set courier_passport_check = false where slug = 'volna'");
  }
});

/** An online pickup request at MSK-TVER, approved at `t`, its card reserved and waiting at the center. */
async function readyForPickup(msisdn: string, t: Date) {
  const [center] = await rows<{ id: string }>("select id from service_centers where code = 'MSK-TVER'", []);
  const { requestId } = await submittedRequest(database, msisdn, {
    reason: 'not_working',
    delivery: 'pickup',
    centerId: center?.id ?? null,
    deliveryAddress: null,
  });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' }, t);
  await assignSim(database.db, testLinks, staff.store_agent, requestId, t);
  await markReadyForPickup(database.db, testLinks, staff.store_agent, requestId, t);
  const { iccid } = await row<{ iccid: string }>(
    'select s.iccid from replacement_requests r join sims s on s.id = r.sim_id where r.id = $1',
    [requestId],
  );
  return { requestId, iccid };
}

test('a pickup hand-over: the contract document, the reserved card, after the hold; then activated at the counter', async () => {
  const msisdn = '+79161110011';
  const t = new Date(Date.now() + 60_000);
  const { requestId, iccid } = await readyForPickup(msisdn, t);
  const shown = contractDocument(msisdn);
  const after = minutes(t, holdMinutes + 1);
  const handOver = (who: typeof staff.store_agent, what: Partial<Parameters<typeof handOverPickup>[5]>, at = after) =>
    handOverPickup(database.db, testLinks, testConfig.documentKey, who, requestId, { ...shown, iccid, ...what }, at);

  expect(await handOver(staff.reviewer, {})).toEqual({ ok: false, error: 'staff.forbidden' });
  expect(await handOver(staff.store_agent, { docNumber: 'FX0000000' })).toEqual({
    ok: false,
    error: 'identity.mismatch',
  });
  expect(await lastAudit(requestId)).toMatchObject({
    action: 'pickup.identity_mismatch',
    actor_id: staff.store_agent.staffId,
    data: { docType: shown.docType },
  });
  expect(await handOver(staff.store_agent, { iccid: '12' })).toMatchObject({
    ok: false,
    error: expect.stringMatching(/^iccid\./),
  });
  const other = await row<{ iccid: string }>(
    "select iccid from sims where status = 'in_stock' and form_factor = 'triple' order by iccid limit 1",
    [],
  );
  expect(await handOver(staff.store_agent, { iccid: other.iccid })).toEqual({
    ok: false,
    error: 'activation.wrong_sim',
  });
  expect(await handOver(staff.store_agent, {}, minutes(t, 1))).toEqual({
    ok: false,
    error: { hold: minutes(t, holdMinutes) },
  });
  expect((await requestRow(requestId)).status).toBe('ready_for_pickup');

  expect(await handOver(staff.store_agent, {})).toEqual({ ok: true, value: { msisdn, activated: true } });
  expect(await row('select status, approved_in_person from replacement_requests where id = $1', [requestId])).toEqual({
    status: 'activated',
    approved_in_person: true,
  });
  expect(await row('select verified_in_person from identity_documents where request_id = $1', [requestId])).toEqual({
    verified_in_person: true,
  });
  expect(
    await lastAudit((await row<{ id: string }>('select id from lines where msisdn = $1', [msisdn])).id),
  ).toMatchObject({
    action: 'sim.swap',
    actor_kind: 'staff',
    actor_id: staff.store_agent.staffId,
  });
  expect(await handOver(staff.store_agent, {})).toEqual({ ok: false, error: 'activation.not_ready' });
});

test('where the operator leaves activation to the subscriber, a pickup hand-over only delivers the card', async () => {
  const msisdn = '+79161110001';
  const t = new Date(Date.now() + 60_000);
  await database.raw.query("update operators set pickup_activates_at_counter = false where slug = 'volna'");
  try {
    const { requestId, iccid } = await readyForPickup(msisdn, t);
    const handed = await handOverPickup(
      database.db,
      testLinks,
      testConfig.documentKey,
      staff.store_agent,
      requestId,
      { ...contractDocument(msisdn), iccid },
      minutes(t, 1),
    );
    expect(handed).toEqual({ ok: true, value: { msisdn, activated: false } });
    expect(await row('select status, approved_in_person from replacement_requests where id = $1', [requestId])).toEqual(
      { status: 'delivered', approved_in_person: true },
    );
    expect(await notices(requestId)).toContain('delivered');
    expect(await lastEvent(requestId)).toMatchObject({ type: 'deliver', actor_kind: 'staff' });
  } finally {
    await database.raw.query("update operators set pickup_activates_at_counter = true where slug = 'volna'");
  }
});

/** Sign-in attempts on the account, `hoursAgo` each; only failures of the last day are a risk signal. */
const signIns = (accountId: string, attempts: { hoursAgo: number; succeeded: boolean }[]) =>
  Promise.all(
    attempts.map((a) =>
      database.raw.query(
        `insert into login_attempts (operator_id, subject, account_id, identifier_hash, ip, succeeded, created_at)
           select operator_id, 'subscriber', id, 'h', '10.0.0.7', $2, now() - make_interval(hours => $3) from accounts where id = $1`,
        [accountId, a.succeeded, a.hoursAgo],
      ),
    ),
  );

test('a submission stores its fee and risk, audits them, and tells every contact of the account, the number itself included', async () => {
  const msisdn = '+79222220001';
  const { requestId, actor } = await readyDraft(database, msisdn, { reason: 'not_working' });
  const stranger = { ...actor, accountId: randomUUID() };
  expect(await submitReplacement(database.db, testLinks, testConfig.documentKey, stranger, requestId)).toEqual({
    ok: false,
    error: 'draft.not_found',
  });
  await signIns(
    actor.accountId,
    [1, 2, 3].map((h) => ({ hoursAgo: h, succeeded: false })),
  );
  const submitted = await submitReplacement(database.db, testLinks, testConfig.documentKey, actor, requestId);
  const request = await row<Record<string, unknown>>(
    `select reference, status, fee_minor, currency, risk_score, risk_signals, submitted_at, four_eyes
       from replacement_requests where id = $1`,
    [requestId],
  );
  expect(submitted).toEqual({ ok: true, value: { reference: request.reference, status: request.status } });
  expect(request.risk_signals).toEqual(expect.arrayContaining(['failed_sign_ins', 'document_mismatch']));
  expect(request.currency).toBe('RUB');
  expect(await lastEvent(requestId)).toMatchObject({
    type: 'submit',
    actor_kind: 'subscriber',
    data: { feeMinor: request.fee_minor, currency: 'RUB' },
  });
  expect(await lastAudit(requestId)).toEqual({
    action: 'request.submit',
    actor_kind: 'subscriber',
    actor_id: actor.accountId,
    target_kind: 'replacement_request',
    ip: actor.ip,
    data: { reference: request.reference, riskScore: request.risk_score, signals: request.risk_signals },
  });
  const told = await rows<{ topic: string; to: string; key: string }>(
    `select topic, payload->>'to' as to, idempotency_key as key from outbox
      where idempotency_key like 'request-submitted:' || $1 || ':%' order by idempotency_key`,
    [requestId],
  );
  expect(told).toEqual([
    { topic: 'email.send', to: 'sergey.volkov@example.ru', key: `request-submitted:${requestId}:email` },
    { topic: 'sms.send', to: msisdn, key: `request-submitted:${requestId}:line` },
    { topic: 'sms.send', to: '+79222220002', key: `request-submitted:${requestId}:second-phone` },
  ]);

  const calm = await readyDraft(database, '+79222220011', { reason: 'not_working' });
  await signIns(calm.actor.accountId, [
    { hoursAgo: 1, succeeded: false },
    { hoursAgo: 2, succeeded: false },
    { hoursAgo: 3, succeeded: true },
    { hoursAgo: 25, succeeded: false },
    { hoursAgo: 30, succeeded: false },
  ]);
  expect(
    await submitReplacement(database.db, testLinks, testConfig.documentKey, calm.actor, calm.requestId),
  ).toMatchObject({
    ok: true,
  });
  const { risk_signals } = await row<{ risk_signals: string[] }>(
    'select risk_signals from replacement_requests where id = $1',
    [calm.requestId],
  );
  expect(risk_signals).not.toContain('failed_sign_ins');
  const mails = await rows<{ topic: string }>(
    "select topic from outbox where idempotency_key like 'request-submitted:' || $1 || ':%' order by topic",
    [calm.requestId],
  );
  expect(mails.map((m) => m.topic)).toEqual(['email.send', 'sms.send']);
});

test('a draft with its answers missing is not submitted', async () => {
  const [line] = await rows<{ id: string; operator_id: string; account_id: string }>(
    "select id, operator_id, account_id from lines where msisdn = '+79222220031'",
    [],
  );
  const actor = { operatorId: line?.operator_id ?? '', accountId: line?.account_id ?? '', ip: '10.0.0.8' };
  const started = await startReplacement(database.db, actor, line?.id ?? '');
  if (!started.ok) throw new Error(`cannot start: ${started.error.reason}`);
  expect(
    await submitReplacement(database.db, testLinks, testConfig.documentKey, actor, started.value.requestId),
  ).toEqual({ ok: false, error: 'draft.incomplete' });
  expect((await requestRow(started.value.requestId)).status).toBe('draft');
});
