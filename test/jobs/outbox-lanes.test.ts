import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enqueue, type OutboxMessages, type OutboxTopic } from '../../src/app/outbox/outbox.ts';
import type { Database } from '../../src/db/client.ts';
import { type CloudEvent, SWAPPED } from '../../src/domain/swap-subscription.ts';
import { type OutboxHandlers, outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { seededDatabase } from '../support/seeded.ts';

let database: Database;
let operatorId: string;
beforeAll(async () => {
  database = await seededDatabase();
  operatorId = (await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`))[0]!.id;
});
afterAll(() => database.close());

const put = <T extends OutboxTopic>(topic: T, payload: OutboxMessages[T], key: string) =>
  database.db.transaction((tx) => enqueue(tx, { operatorId, topic, payload, idempotencyKey: key }));
const row = async (key: string) =>
  (
    await database.raw.query<{ status: string; attempts: number; last_error: string | null }>(
      'select status, attempts, last_error from outbox where idempotency_key = $1',
      [key],
    )
  )[0];
const event = (id: string): CloudEvent => ({
  id,
  source: 'test',
  type: SWAPPED,
  specversion: '1.0',
  datacontenttype: 'application/json',
  time: new Date().toISOString(),
  data: {},
});

test('a lost SIM’s block and a code go out at once while three partner sinks take seconds each', async () => {
  const done = new Map<string, number>();
  const started = performance.now();
  const handlers: Partial<OutboxHandlers> = {
    'webhook.deliver': async (_p, { idempotencyKey }) => {
      await sleep(1_500);
      done.set(idempotencyKey, performance.now() - started);
    },
    'line.suspend': async (_p, { idempotencyKey }) => {
      done.set(idempotencyKey, performance.now() - started);
    },
    'sms.send': async (_p, { idempotencyKey }) => {
      done.set(idempotencyKey, performance.now() - started);
    },
  };
  for (const n of [1, 2, 3]) await put('webhook.deliver', { deliveryId: n }, `lanes-slow-${n}`);
  await put('line.suspend', { msisdn: '+79160007001' }, 'lanes-block');
  await put('sms.send', { to: '+79160007001', text: 'code' }, 'lanes-code');
  // One partner delivery at a time, as a single shared queue would do it.
  const worker = outboxWorker({ db: database.db, handlers, lanes: { partners: { concurrency: 1 } } });
  await worker.drain();

  expect(done.get('lanes-block')).toBeLessThan(1_000);
  expect(done.get('lanes-code')).toBeLessThan(1_000);
  expect(done.get('lanes-slow-3')).toBeGreaterThan(4_000);
  expect((await row('lanes-block'))?.status).toBe('sent');
});

test('a message announced while a lane waits on a slow delivery is claimed at once', async () => {
  let finished = 0;
  const handlers: Partial<OutboxHandlers> = {
    'sms.send': async ({ text }) => {
      if (text === 'slow') await sleep(1_500);
      finished = performance.now();
    },
  };
  await put('sms.send', { to: '+79160007002', text: 'slow' }, 'lanes-wait-slow');
  const worker = outboxWorker({ db: database.db, handlers });
  const draining = worker.drain();
  await sleep(200);
  await put('sms.send', { to: '+79160007002', text: 'fast' }, 'lanes-wait-fast');
  const announced = performance.now();
  worker.kick();
  while ((await row('lanes-wait-fast'))?.status !== 'sent') await sleep(20);
  expect(performance.now() - announced).toBeLessThan(800);
  expect(finished - announced).toBeLessThan(800);
  await draining;
});

test('events of one CAMARA subscription are delivered in order, other subscriptions side by side', async () => {
  const log: string[] = [];
  const handlers: Partial<OutboxHandlers> = {
    'camara.notify': async ({ subscriptionId, event: e }) => {
      log.push(`start ${subscriptionId} ${e.id}`);
      await sleep(e.id === 'a1' ? 300 : 10);
      log.push(`end ${subscriptionId} ${e.id}`);
    },
  };
  await put('camara.notify', { subscriptionId: 'sub-a', event: event('a1') }, 'lanes-order-a1');
  await put('camara.notify', { subscriptionId: 'sub-a', event: event('a2') }, 'lanes-order-a2');
  await put('camara.notify', { subscriptionId: 'sub-b', event: event('b1') }, 'lanes-order-b1');
  await outboxWorker({ db: database.db, handlers }).drain();

  expect(log.indexOf('start sub-a a2')).toBeGreaterThan(log.indexOf('end sub-a a1'));
  expect(log.indexOf('end sub-b b1')).toBeLessThan(log.indexOf('end sub-a a1'));
});

test('a delivery past its lane’s time limit is abandoned, its signal aborted, and retried later', async () => {
  let aborted = false;
  const handlers: Partial<OutboxHandlers> = {
    'webhook.deliver': (_p, { signal }) =>
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve();
        });
      }),
  };
  await put('webhook.deliver', { deliveryId: 99 }, 'lanes-timeout');
  await outboxWorker({ db: database.db, handlers, lanes: { partners: { timeoutMs: 200 } } }).drain();
  expect(aborted).toBe(true);
  expect(await row('lanes-timeout')).toMatchObject({ status: 'pending', attempts: 1 });
  expect((await row('lanes-timeout'))?.last_error).toContain('longer than 200 ms');
});

test('a failing partner is retried for a day before its event is given up; a failing code is given up after its attempts', async () => {
  const failing: Partial<OutboxHandlers> = {
    'camara.notify': async () => {
      throw new Error('sink answered 503');
    },
    'sms.send': async () => {
      throw new Error('SMSC down');
    },
  };
  await put('camara.notify', { subscriptionId: 'sub-c', event: event('c1') }, 'lanes-day-young');
  await put('camara.notify', { subscriptionId: 'sub-d', event: event('d1') }, 'lanes-day-old');
  await put('sms.send', { to: '+79160007003', text: 'x' }, 'lanes-day-sms');
  await database.raw.query(
    `update outbox set attempts = 20, created_at = now() - interval '23 hours' where idempotency_key = 'lanes-day-young'`,
  );
  await database.raw.query(
    `update outbox set attempts = 20, created_at = now() - interval '25 hours' where idempotency_key = 'lanes-day-old'`,
  );
  await database.raw.query(`update outbox set attempts = 7 where idempotency_key = 'lanes-day-sms'`);
  await outboxWorker({ db: database.db, handlers: failing }).deliverDue();

  expect(await row('lanes-day-young')).toMatchObject({ status: 'pending', attempts: 21 });
  expect(await row('lanes-day-old')).toMatchObject({ status: 'dead', attempts: 21 });
  expect(await row('lanes-day-sms')).toMatchObject({ status: 'dead', attempts: 8 });
});
