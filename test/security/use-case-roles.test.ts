import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addFeeRule } from '../../src/app/admin/fee-table.ts';
import { currentPolicies, updatePolicies } from '../../src/app/admin/operator-policies.ts';
import { inviteStaff } from '../../src/app/admin/team.ts';
import { retryStuckDelivery } from '../../src/app/back-office/stuck-deliveries.ts';
import { sendTransfer } from '../../src/app/back-office/transfers.ts';
import { startWalkIn } from '../../src/app/counter/walk-in.ts';
import { importStock } from '../../src/app/import/inventory.ts';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { markDelivered } from '../../src/app/requests/hand-over.ts';
import { StaffForbidden } from '../../src/app/requests/staff-step.ts';
import type { Database } from '../../src/db/client.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';

/**
 * The application layer checks staff roles itself, not only the web layer's guards: a reviewer
 * calling these use cases directly is refused and nothing is written.
 */
let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
});
afterAll(() => database.close());

test('a reviewer cannot start a walk-in, send stock away, add staff, change fees or policies, or resend network jobs', async () => {
  const reviewer = staff.reviewer;
  const [line] = await database.raw.query<{ id: string }>("select id from lines where msisdn = '+79161110081'");
  const [center] = await database.raw.query<{ id: string }>("select id from service_centers where code = 'MSK-TVER'");
  const [card] = await database.raw.query<{ iccid: string }>(
    "select iccid from sims where status = 'in_stock' and center_id is null limit 1",
  );
  const attempts: Record<string, () => Promise<unknown>> = {
    walkIn: () =>
      startWalkIn(database.db, testLinks, testConfig.documentKey, reviewer, {
        lineId: line?.id ?? '',
        docType: 'passport_ru',
        docNumber: '4506 123456',
        reason: 'lost',
        simType: 'physical',
      }),
    transfer: () =>
      sendTransfer(database.db, reviewer, { from: null, to: center?.id ?? null, iccids: card?.iccid ?? '' }),
    invite: () =>
      inviteStaff(database.db, testConfig.documentKey, reviewer, {
        email: 'mallory@volna.example',
        fullName: 'Mallory',
        roles: ['admin'],
      }),
    fee: () => addFeeRule(database.db, reviewer, { amount: '1', reason: 'lost' }),
    policies: async () => {
      const current = await currentPolicies(database.db, reviewer.operatorId);
      const form = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, v === null ? '' : String(v)]));
      return updatePolicies(database.db, reviewer, form);
    },
    stock: () =>
      importStock(
        database,
        reviewer,
        Readable.from(['iccid,imsi,form_factor\n8970199000000099991,250990000099991,physical\n']),
        { allOrNothing: false },
      ),
    network: () => retryStuckDelivery(database.db, reviewer, 'network', 1),
    partners: () => retryStuckDelivery(database.db, reviewer, 'partners', 1),
  };
  const outcomes: Record<string, string> = {};
  for (const [name, attempt] of Object.entries(attempts))
    outcomes[name] = await attempt().then(
      (answer) => `answered ${JSON.stringify(answer).slice(0, 80)}`,
      (error) => (error instanceof StaffForbidden ? 'forbidden' : `failed: ${error}`),
    );
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(attempts).map((k) => [k, 'forbidden'])));
  const [mallory] = await database.raw.query("select 1 from staff_users where email = 'mallory@volna.example'");
  expect(mallory).toBeUndefined();
  expect(await database.raw.query("select 1 from sims where iccid = '8970199000000099991'")).toEqual([]);
});

test('the request steps of the shared staff step refuse a role they are not for', async () => {
  const { requestId } = await submittedRequest(database, '+79161110091', {
    reason: 'switch_to_esim',
    simType: 'esim',
    delivery: 'esim',
    deliveryAddress: null,
  });
  const forbidden = { ok: false, error: 'staff.forbidden' };
  expect(await reviewRequest(database.db, testLinks, staff.store_agent, requestId, { decision: 'approve' })).toEqual(
    forbidden,
  );
  expect(await assignSim(database.db, testLinks, staff.reviewer, requestId)).toEqual(forbidden);
  expect(await markDelivered(database.db, testLinks, staff.reviewer, requestId)).toEqual(forbidden);
  const [request] = await database.raw.query<{ status: string }>(
    'select status from replacement_requests where id = $1',
    [requestId],
  );
  expect(request?.status).toBe('in_review');
});

test('a reviewer never decides a request for their own subscriber account, linked by the e-mail they share', async () => {
  const { requestId } = await submittedRequest(database, '+79161110101', {
    reason: 'switch_to_esim',
    simType: 'esim',
    delivery: 'esim',
    deliveryAddress: null,
  });
  await database.raw.query(
    "update accounts set email = 'Reviewer@Volna.example' where id = (select account_id from replacement_requests where id = $1)",
    [requestId],
  );
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toEqual({
    ok: false,
    error: 'request.own',
  });
  expect((await reviewRequest(database.db, testLinks, staff.admin, requestId, { decision: 'approve' })).ok).toBe(true);
});
