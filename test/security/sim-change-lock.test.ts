import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { setSimChangeLock } from '../../src/app/accounts/sim-change-lock.ts';
import { revealEsimCode } from '../../src/app/requests/activation.ts';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { ReplacementRequest } from '../../src/app/requests/replacement-draft.ts';
import { applyRequestEvent } from '../../src/app/requests/request-transitions.ts';
import type { Database } from '../../src/db/client.ts';
import { replacementRequests } from '../../src/db/schema/requests.ts';
import type { DraftAnswers } from '../../src/domain/replacement-wizard.ts';
import type { RequestEvent } from '../../src/domain/request-machine.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testLinks } from '../support/test-config.ts';

let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
});
afterAll(() => database.close());

const status = async (requestId: string) =>
  (
    await database.raw.query<{ status: string }>('select status from replacement_requests where id = $1', [requestId])
  )[0]?.status;

const esim = { reason: 'switch_to_esim', simType: 'esim', delivery: 'esim', deliveryAddress: null } as const;

test('a request already submitted when the lock goes on is held at every step until the lock has ended, and the owner is told', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110031', esim);
  expect(await status(requestId)).toBe('in_review');

  expect(await setSimChangeLock(database.db, actor, true)).toEqual({ state: 'on' });
  const [mail] = await database.raw.query<{ text: string }>(
    `select payload->>'text' text from outbox where topic = 'email.send' and payload->>'to' = 'd.petrov@example.ru'
      and idempotency_key like 'sim-lock:%' order by id desc limit 1`,
  );
  expect(mail?.text).toContain('заявка на замену SIM приостановлена, пока действует запрет');

  const approve = () => reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  expect(await approve()).toEqual({ ok: false, error: 'request.sim_change_locked' });
  expect(await status(requestId)).toBe('in_review');

  // Asking to turn it off only starts the waiting period: the request is still held.
  expect(await setSimChangeLock(database.db, actor, false)).toMatchObject({ state: 'releasing' });
  expect(await approve()).toEqual({ ok: false, error: 'request.sim_change_locked' });

  await database.raw.query("update accounts set lock_release_at = now() - interval '1 minute' where id = $1", [
    actor.accountId,
  ]);
  expect(await approve()).toMatchObject({ ok: true });
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId)).toMatchObject({ ok: true });
});

test('the lock turned on after approval stops the SIM from being reserved and the eSIM from being handed out', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110051', esim);
  expect(await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' })).toMatchObject(
    {
      ok: true,
    },
  );
  await setSimChangeLock(database.db, actor, true);
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId)).toEqual({
    ok: false,
    error: 'request.sim_change_locked',
  });
  expect(await status(requestId)).toBe('approved');
  await database.raw.query('update accounts set sim_change_lock = false where id = $1', [actor.accountId]);
  expect(await assignSim(database.db, testLinks, staff.logistics, requestId)).toMatchObject({ ok: true });
  await database.raw.query('update replacement_requests set hold_until = null where id = $1', [requestId]);
  await setSimChangeLock(database.db, actor, true);
  expect(await revealEsimCode(database.db, actor, requestId)).toEqual({
    ok: false,
    error: 'request.sim_change_locked',
  });
  expect(await status(requestId)).toBe('sim_assigned');
});

/** Each event with a state the machine accepts it from: the lock alone decides whether it goes on. */
const EVERY_EVENT: [RequestEvent, string, Partial<DraftAnswers>][] = [
  [{ type: 'approve', by: 'x', inPerson: false }, 'in_review', esim],
  [{ type: 'assign_sim', simId: '' }, 'approved', esim],
  [{ type: 'dispatch', carrier: 'cdek', trackingNumber: 'T1' }, 'sim_assigned', {}],
  [{ type: 'mark_ready' }, 'sim_assigned', { delivery: 'pickup', deliveryAddress: null, centerId: 'MSK-TVER' }],
  [{ type: 'deliver' }, 'dispatched', {}],
  [{ type: 'activate' }, 'delivered', {}],
  [{ type: 'restock' }, 'returned', {}],
  [{ type: 'delivery_failed' }, 'dispatched', {}],
  [{ type: 'request_info', note: 'n' }, 'in_review', esim],
  [{ type: 'reject', reason: 'r' }, 'in_review', esim],
  [{ type: 'fail', reason: 'f' }, 'sim_assigned', {}],
  [{ type: 'cancel' }, 'approved', esim],
  [{ type: 'freeze' }, 'approved', esim],
];
const HELD = ['approve', 'assign_sim', 'dispatch', 'mark_ready', 'deliver', 'activate'];
const LINES_FOR_EVENTS = [
  '+79161110011',
  '+79161110021',
  '+79161110041',
  '+79161110042',
  '+79161110061',
  '+79161110071',
];

test('while the lock is on, every step that brings a SIM closer to working is held, and only those', async () => {
  const [sim] = await database.raw.query<{ id: string }>(
    "select s.id from sims s join operators o on o.id = s.operator_id where o.slug = 'volna' and s.status = 'in_stock' limit 1",
  );
  const outcomes: string[] = [];
  for (const [n, [event, from, answers]] of EVERY_EVENT.entries()) {
    const msisdn = LINES_FOR_EVENTS[n % LINES_FOR_EVENTS.length] as string;
    const [center] = await database.raw.query<{ id: string }>('select id from service_centers where code = $1', [
      answers.centerId ?? '',
    ]);
    const { requestId, actor } = await submittedRequest(database, msisdn, { ...answers, centerId: center?.id ?? null });
    await database.raw.query(
      `update replacement_requests set status = $2, sim_id = $3, paid_at = now(), fee_minor = 0 where id = $1`,
      [requestId, from, from === 'in_review' || from === 'approved' ? null : sim?.id],
    );
    await database.raw.query('update accounts set sim_change_lock = true where id = $1', [actor.accountId]);
    const step = event.type === 'assign_sim' ? { ...event, simId: sim?.id ?? '' } : event;
    const answer = await database.db.transaction(async (tx) => {
      const [request] = await tx.select().from(replacementRequests).where(eq(replacementRequests.id, requestId));
      return applyRequestEvent(tx, request as ReplacementRequest, step, { kind: 'staff', id: null }, new Date());
    });
    outcomes.push(`${event.type}: ${answer.ok ? 'goes on' : answer.error}`);
    await database.raw.query('update accounts set sim_change_lock = false where id = $1', [actor.accountId]);
    await database.raw.query("update replacement_requests set status = 'cancelled', sim_id = null where id = $1", [
      requestId,
    ]);
  }
  expect(outcomes).toEqual(
    EVERY_EVENT.map(
      ([event]) => `${event.type}: ${HELD.includes(event.type) ? 'request.sim_change_locked' : 'goes on'}`,
    ),
  );
});
