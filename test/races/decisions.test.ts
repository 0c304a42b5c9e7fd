import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { handOverCounterSim } from '../../src/app/counter/counter-sim.ts';
import { startWalkIn, takeCounterPayment } from '../../src/app/counter/walk-in.ts';
import { settlePayment, startPayment } from '../../src/app/payments/payments.ts';
import { activateEsim, revealEsimCode } from '../../src/app/requests/activation.ts';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { SandboxGateway } from '../../src/integrations/payments/sandbox-gateway.ts';
import { testDatabase } from '../support/db.ts';
import { submittedRequest } from '../support/requests.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';

const noPostgres = !process.env.DATABASE_URL;
const esim = { reason: 'switch_to_esim', simType: 'esim', delivery: 'esim', deliveryAddress: null } as const;

let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await testDatabase('seeded', 32);
  staff = await demoStaff(database);
});
afterAll(() => database.close());

const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await database.raw.query<T>(sql, params))[0] as T;
/** Every answer settled: the errors thrown (a 500 in the web layer) and the refusals returned. */
const outcome = (answers: PromiseSettledResult<{ ok: boolean; error?: unknown }>[]) => ({
  won: answers.filter((a) => a.status === 'fulfilled' && a.value.ok).length,
  refused: answers.flatMap((a) => (a.status === 'fulfilled' && !a.value.ok ? [String(a.value.error)] : [])),
  thrown: answers.flatMap((a) => (a.status === 'rejected' ? [String(a.reason).slice(0, 200)] : [])),
});

test.skipIf(noPostgres)('100 parallel activations of one eSIM request: one swap, the others refused', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110091', esim);
  expect((await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).ok).toBe(
    true,
  );
  expect((await assignSim(database.db, testLinks, staff.logistics, requestId)).ok).toBe(true);
  await database.raw.query('update replacement_requests set hold_until = null where id = $1', [requestId]);
  expect((await revealEsimCode(database.db, actor, requestId)).ok).toBe(true);

  const answers = await Promise.allSettled(
    Array.from({ length: 100 }, () => activateEsim(database.db, testLinks, actor, requestId)),
  );
  const { won, refused, thrown } = outcome(answers);
  const changes = await one<{ n: number }>('select count(*)::int n from sim_changes where request_id = $1', [
    requestId,
  ]);
  const swaps = await one<{ n: number }>(
    "select count(*)::int n from outbox where topic = 'line.swap_sim' and payload->>'msisdn' = '+79161110091'",
  );
  console.log(
    `100 activations at once: ${won} activated, ${refused.length} refused, ${thrown.length} errors, ${changes.n} SIM change, ${swaps.n} network swap`,
  );
  expect(thrown).toEqual([]);
  expect(won).toBe(1);
  expect(new Set(refused)).toEqual(new Set(['activation.not_ready']));
  expect(changes.n).toBe(1);
  expect(swaps.n).toBe(1);
});

test.skipIf(noPostgres)('two reviewers deciding one request at once: one decides, the other is told', async () => {
  const requests = await Promise.all(
    ['+79161110001', '+79161110011', '+79161110021', '+79161110031'].map((msisdn) =>
      submittedRequest(database, msisdn, esim),
    ),
  );
  const answers = await Promise.allSettled(
    requests.flatMap(({ requestId }) => [
      reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' }),
      reviewRequest(database.db, testLinks, staff.admin, requestId, { decision: 'reject', reason: 'id_unreadable' }),
    ]),
  );
  const { won, refused, thrown } = outcome(answers);
  const decided = await database.raw.query<{ status: string; events: number }>(
    `select r.status, (select count(*)::int from request_events e where e.request_id = r.id
                        and e.type in ('approve', 'reject')) events
       from replacement_requests r where r.id = any($1)`,
    [requests.map((r) => r.requestId)],
  );
  console.log(
    `${requests.length} requests, two reviewers each at once: ${won} decided, ${refused.length} told (${[...new Set(refused)]}), ${thrown.length} errors`,
  );
  expect(thrown).toEqual([]);
  expect(won).toBe(requests.length);
  expect(refused).toHaveLength(requests.length);
  expect(decided.every((d) => (d.status === 'approved' || d.status === 'rejected') && d.events === 1)).toBe(true);
});

test.skipIf(noPostgres)('two counters scanning one ICCID at once: exactly one hands it over', async () => {
  const ids: string[] = [];
  for (const [msisdn, docNumber] of [
    ['+79161110041', '4516 110041'],
    ['+79161110061', '4516 110061'],
  ] as const) {
    const [line] = await database.raw.query<{ id: string }>('select id from lines where msisdn = $1', [msisdn]);
    const started = await startWalkIn(database.db, testLinks, testConfig.documentKey, staff.store_agent, {
      lineId: line!.id,
      docType: 'passport_ru',
      docNumber,
      reason: 'damaged',
      simType: 'physical',
    });
    if (!started.ok) throw new Error(started.error);
    const paid = await takeCounterPayment(database.db, staff.store_agent, started.value.requestId, {
      method: 'cash',
      slipRef: '',
    });
    if (!paid.ok) throw new Error(paid.error);
    ids.push(started.value.requestId);
  }
  const { iccid } = await one<{ iccid: string }>(
    `select s.iccid from sims s join service_centers c on c.id = s.center_id
      where s.status = 'in_stock' and s.form_factor <> 'esim' and c.code = 'MSK-TVER' order by s.iccid limit 1`,
  );
  const answers = await Promise.allSettled(
    [...ids, ...ids].map((id) => handOverCounterSim(database.db, testLinks, staff.store_agent, id, iccid)),
  );
  const { won, refused, thrown } = outcome(answers);
  const holders = await one<{ n: number }>(
    'select count(*)::int n from replacement_requests r join sims s on s.id = r.sim_id where s.iccid = $1',
    [iccid],
  );
  console.log(
    `two counters, one card, each scanning twice at once: ${won} handed over, ${refused.length} refused (${[...new Set(refused)]}), ${thrown.length} errors`,
  );
  expect(thrown).toEqual([]);
  expect(won).toBe(1);
  expect(holders.n).toBe(1);
});

test.skipIf(noPostgres)(
  'one payment notification replayed 20 times at once: paid once, the request moves once',
  async () => {
    const { requestId, actor } = await submittedRequest(database, '+79161110081', { reason: 'lost' });
    expect(
      (await one<{ status: string }>('select status from replacement_requests where id = $1', [requestId])).status,
    ).toBe('awaiting_payment');
    const gateway = new SandboxGateway({ db: database.db, webhookSecret: testConfig.paymentWebhookSecret });
    const started = await startPayment(database.db, gateway, actor, requestId, {
      method: 'card',
      attemptKey: randomUUID(),
      returnOrigin: 'http://volna.localhost',
      description: 'race',
    });
    if (!started.ok) throw new Error(String(started.error));
    const payment = await one<{ provider: string; provider_ref: string; amount_minor: number; currency: string }>(
      'select provider, provider_ref, amount_minor, currency from payments where request_id = $1',
      [requestId],
    );
    const reported = {
      ref: payment.provider_ref,
      status: 'succeeded' as const,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      method: 'card' as const,
      failureReason: null,
      cardLast4: '4242',
      refundedMinor: 0,
    };
    const answers = await Promise.allSettled(
      Array.from({ length: 20 }, () => settlePayment(database.db, testLinks, payment.provider, reported)),
    );
    const { won, thrown } = outcome(answers);
    const after = await one<{ status: string; paid: number; events: number }>(
      `select r.status, (select count(*)::int from payments p where p.request_id = r.id and p.status = 'succeeded') paid,
            (select count(*)::int from request_events e where e.request_id = r.id and e.type = 'payment_succeeded') events
       from replacement_requests r where r.id = $1`,
      [requestId],
    );
    console.log(
      `one notification 20 times at once: ${won} answered, ${thrown.length} errors, request ${after.status}, ${after.paid} payment, ${after.events} event`,
    );
    expect(thrown).toEqual([]);
    expect(after).toEqual({ status: 'in_review', paid: 1, events: 1 });
  },
);
