import { afterAll, beforeAll, expect, test } from 'vitest';
import { setSimChangeLock } from '../../src/app/accounts/sim-change-lock.ts';
import { revealEsimCode } from '../../src/app/requests/activation.ts';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
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
