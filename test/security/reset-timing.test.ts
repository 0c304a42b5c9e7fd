import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const subscribers = ['+79161110001', '+79161110011', '+79161110021', '+79161110031', '+79161110041'];
const strangers = Array.from({ length: 5 }, (_, i) => `+7916999000${i}`);
const ROUNDS = 24;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] ?? 0;

/** Times "Forgot password" for a subscriber and a stranger in turn; answers compared without their CSRF token. */
async function measure(channel: 'email' | 'sms') {
  const client = new WebClient(app, { host: 'localhost' });
  await client.get('/password/forgot');
  const times = { known: [] as number[], unknown: [] as number[] };
  const bodies = { known: new Set<string>(), unknown: new Set<string>() };
  for (let round = -4; round < ROUNDS; round++) {
    const pairs = [
      ['known', subscribers[round % subscribers.length] ?? subscribers[0]],
      ['unknown', strangers[round % strangers.length] ?? strangers[0]],
    ] as const;
    for (const [kind, phone] of round % 2 === 0 ? pairs : [...pairs].reverse()) {
      const started = performance.now();
      const res = await client.post('/password/forgot', { phone: phone ?? '', channel });
      const took = performance.now() - started;
      expect(res.statusCode).toBe(200);
      if (round < 0) continue;
      times[kind].push(took);
      bodies[kind].add(res.body.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(phone ?? '', 'PHONE'));
    }
  }
  return { times, bodies };
}

test.each(['email', 'sms'] as const)(
  '"Forgot password" by %s answers a subscriber and a stranger alike, in the same time',
  async (channel) => {
    const { times, bodies } = await measure(channel);
    expect(bodies.known.size).toBe(1);
    expect([...bodies.unknown]).toEqual([...bodies.known]);
    const known = median(times.known);
    const unknown = median(times.unknown);
    expect(known, JSON.stringify(times)).toBeGreaterThanOrEqual(quantile(times.unknown, 0.1));
    expect(known, JSON.stringify(times)).toBeLessThanOrEqual(quantile(times.unknown, 0.9));
    expect(unknown, JSON.stringify(times)).toBeGreaterThanOrEqual(quantile(times.known, 0.1));
    expect(unknown, JSON.stringify(times)).toBeLessThanOrEqual(quantile(times.known, 0.9));
  },
);

test('the lookup happens in the outbox worker: both kinds of number leave the same record, and nothing else', async () => {
  const count = async () =>
    await database.raw.query<{ topic: string; n: number }>(
      'select topic, count(*)::int n from outbox group by topic order by topic',
    );
  const before = await count();
  const client = new WebClient(app, { host: 'localhost' });
  await client.get('/password/forgot');
  await client.post('/password/forgot', { phone: '+79161110001', channel: 'email' });
  const afterKnown = await count();
  await client.post('/password/forgot', { phone: '+79169990099', channel: 'email' });
  const afterUnknown = await count();
  const added = (a: typeof before, b: typeof before) =>
    b.map(({ topic, n }) => ({ topic, n: n - (a.find((r) => r.topic === topic)?.n ?? 0) })).filter((r) => r.n > 0);
  expect(added(before, afterKnown)).toEqual([{ topic: 'password.reset', n: 1 }]);
  expect(added(afterKnown, afterUnknown)).toEqual([{ topic: 'password.reset', n: 1 }]);
});
