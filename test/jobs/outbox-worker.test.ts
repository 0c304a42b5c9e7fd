import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueue } from '../../src/app/outbox/outbox.ts';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { secondInstance } from '../support/db.ts';
import { seededDatabase } from '../support/seeded.ts';

let database: Database;
let operatorId: string;
beforeAll(async () => {
  database = await seededDatabase();
  operatorId = (await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`))[0]!.id;
});
afterAll(() => database.close());

const message = async (key: string) =>
  (
    await database.raw.query<{ status: string; attempts: number; last_error: string | null; due: boolean }>(
      'select status, attempts, last_error, next_attempt_at <= now() due from outbox where idempotency_key = $1',
      [key],
    )
  )[0];
const suspend = (msisdn: string, key: string) =>
  database.db.transaction((tx) =>
    enqueue(tx, { operatorId, topic: 'line.suspend', payload: { msisdn }, idempotencyKey: key }),
  );

test('a failed delivery is retried later with backoff, and the network applies it once', async () => {
  let failNext = true;
  const network = new ProvisioningSimulator({ random: () => (failNext ? 0 : 0.99), failureRate: 0.5 });
  const errors: unknown[] = [];
  const worker = outboxWorker({
    db: database.db,
    handlers: provisioningHandlers(database.db, network),
    onError: (e) => errors.push(e),
  });
  await suspend('+79160000001', 'retry-1');

  expect(await worker.deliverDue()).toBe(1);
  expect(await message('retry-1')).toMatchObject({ status: 'pending', attempts: 1, due: false });
  expect((await message('retry-1'))?.last_error).toContain('simulated HLR timeout');
  expect(errors).toHaveLength(1);

  failNext = false;
  expect(await worker.deliverDue(new Date(Date.now() + 3_600_000))).toBe(1);
  expect(await message('retry-1')).toMatchObject({ status: 'sent', attempts: 2 });
  expect(network.applied.filter((a) => a.idempotencyKey === 'retry-1')).toHaveLength(1);
});

test('a message is enqueued once per idempotency key, and redelivery after a crash changes nothing', async () => {
  await suspend('+79160000002', 'once-1');
  await suspend('+79160000002', 'once-1');
  const rows = await database.raw.query(`select 1 from outbox where idempotency_key = 'once-1'`);
  expect(rows).toHaveLength(1);

  const network = new ProvisioningSimulator();
  const handlers = provisioningHandlers(database.db, network);
  await handlers['line.suspend'](
    { msisdn: '+79160000002' },
    { idempotencyKey: 'once-1', operatorId, signal: new AbortController().signal },
  );
  await outboxWorker({ db: database.db, handlers }).drain();
  expect(network.applied.filter((a) => a.idempotencyKey === 'once-1')).toHaveLength(1);
  expect(await message('once-1')).toMatchObject({ status: 'sent' });
});

test('a message committed within the worker’s last millisecond is due: the database’s finer clock is not ahead of it', async () => {
  await suspend('+79160000003', 'fine-clock-1');
  const [{ t }] = (await database.raw.query<{ t: Date }>('select clock_timestamp() t')) as [{ t: Date }];
  // Due half a millisecond after a moment the worker reads as the same millisecond.
  await database.raw.query(
    `update outbox set next_attempt_at = $1::timestamptz + interval '500 microseconds' where idempotency_key = 'fine-clock-1'`,
    [t.toISOString()],
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  const network = new ProvisioningSimulator();
  const worker = outboxWorker({ db: database.db, handlers: provisioningHandlers(database.db, network) });
  expect(await worker.deliverDue(t)).toBe(1);
  expect(await message('fine-clock-1')).toMatchObject({ status: 'sent' });
});

test('a permanent failure is not retried', async () => {
  const network = new ProvisioningSimulator();
  await suspend('not-a-number', 'dead-1');
  await outboxWorker({ db: database.db, handlers: provisioningHandlers(database.db, network) }).drain();
  expect(await message('dead-1')).toMatchObject({ status: 'dead', attempts: 1 });
  expect((await message('dead-1'))?.last_error).toContain('unknown subscriber');
});

test('two workers on their own connections deliver each message exactly once between them', async () => {
  const other = await secondInstance(database);
  try {
    const keys = Array.from({ length: 60 }, (_, i) => `pair-${i}`);
    for (const key of keys) await suspend(`+7916100${String(keys.indexOf(key)).padStart(4, '0')}`, key);
    const deliveries = new Map<string, string[]>();
    const handlerFor = (name: string) => ({
      'line.suspend': async (_payload: unknown, meta: { idempotencyKey: string }) => {
        await new Promise((r) => setTimeout(r, 2));
        deliveries.set(meta.idempotencyKey, [...(deliveries.get(meta.idempotencyKey) ?? []), name]);
      },
    });
    const a = outboxWorker({ db: database.db, handlers: handlerFor('a'), batchSize: 5 });
    const b = outboxWorker({ db: other.db, handlers: handlerFor('b'), batchSize: 5 });
    const [byA, byB] = await Promise.all([a.drain(), b.drain()]);

    expect(byA + byB).toBe(keys.length);
    expect(keys.filter((k) => deliveries.get(k)?.length !== 1)).toEqual([]);
    if (process.env.DATABASE_URL) expect(Math.min(byA, byB)).toBeGreaterThan(0);
    const statuses = await database.raw.query<{ status: string; n: number }>(
      `select status, count(*)::int n from outbox where idempotency_key like 'pair-%' group by status`,
    );
    expect(statuses).toEqual([{ status: 'sent', n: keys.length }]);
  } finally {
    await other.close();
  }
});

test('a live worker renews its claim while a slow delivery runs; a dead worker’s claim runs out in seconds, not a minute', async () => {
  const enqueueSms = (key: string) =>
    database.db.transaction((tx) =>
      enqueue(tx, { operatorId, topic: 'sms.send', payload: { to: '+79990001234', text: 'x' }, idempotencyKey: key }),
    );
  const calls: string[] = [];
  const slow = {
    'sms.send': async (_payload: unknown, meta: { idempotencyKey: string }) => {
      calls.push(meta.idempotencyKey);
      await new Promise((resolve) => setTimeout(resolve, 900));
    },
  };
  await enqueueSms('lease-slow');
  const first = outboxWorker({ db: database.db, handlers: slow, leaseMs: 300 });
  const second = outboxWorker({ db: database.db, handlers: slow, leaseMs: 300 });
  const running = first.deliverDue();
  await new Promise((resolve) => setTimeout(resolve, 600));
  // Twice the lease later the first worker is still delivering: its renewed claim keeps the second off.
  expect(await second.deliverDue()).toBe(0);
  await running;
  expect(calls.filter((k) => k === 'lease-slow')).toHaveLength(1);

  await enqueueSms('lease-default');
  // A worker's claim lasts 15 s unless renewed: were this worker killed now, the message would be
  // due again 15 s later (it was 60 s).
  const claiming = outboxWorker({ db: database.db, handlers: slow }).deliverDue();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const [claim] = await database.raw.query<{ seconds: number }>(
    "select extract(epoch from next_attempt_at - now())::float seconds from outbox where idempotency_key = 'lease-default'",
  );
  expect(claim?.seconds).toBeGreaterThan(10);
  expect(claim?.seconds).toBeLessThanOrEqual(15);
  await claiming;
});
