import { afterAll, beforeAll, expect, test } from 'vitest';
import { SwapIndex } from '../../src/app/sim-swap/swap-index.ts';
import type { Database } from '../../src/db/client.ts';
import { seededDatabase } from '../support/seeded.ts';

let database: Database;
let index: SwapIndex;
let operatorId: string;
beforeAll(async () => {
  database = await seededDatabase();
  const [operator] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  operatorId = operator?.id ?? '';
  await database.raw.query(
    "insert into sim_changes (operator_id, msisdn, changed_at, source) values ($1, '+79990002001', '2026-01-01T00:00:00Z', 'import')",
    [operatorId],
  );
  index = await SwapIndex.start(database);
  await index.settled();
});
afterAll(async () => {
  await index.stop();
  await database.close();
});

/** Waits until the index says what is expected: notifications arrive after the commit, on PostgreSQL a moment later. */
async function eventually(read: () => number | undefined, expected: number | undefined) {
  for (let i = 0; i < 100 && read() !== expected; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(read()).toBe(expected);
}
const latestOf = (msisdn: string) => index.latestChange(operatorId, msisdn)?.getTime();

test('built from the history at start; numbers it does not hold are left to the database', () => {
  expect(latestOf('+79990002001')).toBe(Date.parse('2026-01-01T00:00:00Z'));
  expect(latestOf('+79161110001')).toBeUndefined();
  expect(index.latestChange('00000000-0000-0000-0000-000000000000', '+79990002001')).toBeUndefined();
});

test('a swap made here is known at once, a bulk import after a rebuild, a deletion too', async () => {
  const [line] = await database.raw.query<{ id: string; sim: string }>(
    `select l.id, s.id sim from lines l join sims s on s.line_id = l.id where l.msisdn = '+79161110001'`,
  );
  await database.raw.query(
    `insert into sim_changes (operator_id, line_id, msisdn, new_sim_id, channel, changed_at)
     values ($1, $2, '+79161110001', $3, 'counter', '2026-11-20T10:00:00Z')`,
    [operatorId, line?.id, line?.sim],
  );
  await eventually(() => latestOf('+79161110001'), Date.parse('2026-11-20T10:00:00Z'));
  await database.raw.query(
    `insert into sim_changes (operator_id, msisdn, changed_at, source)
     select $1, '+7999000' || lpad(i::text, 4, '0'), '2026-02-01T00:00:00Z', 'import' from generate_series(3000, 3099) i`,
    [operatorId],
  );
  await eventually(() => latestOf('+79990003099'), Date.parse('2026-02-01T00:00:00Z'));
  await index.settled();
  expect(latestOf('+79990002001')).toBe(Date.parse('2026-01-01T00:00:00Z'));
  await database.raw.query("delete from sim_changes where msisdn = '+79990003099'");
  await eventually(() => latestOf('+79990003099'), undefined);
});

test('while its notification feed is down the index answers nothing; it answers again once rebuilt after the feed is back', async () => {
  let feed: (payload: string | null) => void = () => {};
  const watched = await SwapIndex.start({
    ...database,
    listen: async (channel, listener) => {
      if (channel === 'simdesk_sim_changes') feed = listener;
      return async () => {};
    },
  });
  await watched.settled();
  expect(watched.latestChange(operatorId, '+79990002001')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  feed(null);
  expect(watched.latestChange(operatorId, '+79990002001')).toBeUndefined();
  await watched.settled();
  expect(watched.latestChange(operatorId, '+79990002001')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  await watched.stop();
});

test.skipIf(Boolean(process.env.DATABASE_URL))(
  'on PGlite a swap is in the index when its commit returns, so the index may answer "not swapped" too',
  async () => {
    const [line] = await database.raw.query<{ id: string; sim: string }>(
      `select l.id, s.id sim from lines l join sims s on s.line_id = l.id where l.msisdn = '+79161110011'`,
    );
    expect(await index.current()).toBe(true);
    await database.raw.query(
      `insert into sim_changes (operator_id, line_id, msisdn, new_sim_id, channel, changed_at)
       values ($1, $2, '+79161110011', $3, 'counter', '2026-11-21T10:00:00Z')`,
      [operatorId, line?.id, line?.sim],
    );
    expect(latestOf('+79161110011')).toBe(Date.parse('2026-11-21T10:00:00Z'));
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  'on PostgreSQL a barrier makes the index current: a swap committed before the call is in it when the call returns',
  async () => {
    // Notifications arrive 300 ms after the commit, as under load: the barrier comes back behind them.
    const lagging = await SwapIndex.start({
      ...database,
      listen: (channel, listener) =>
        database.listen(channel, (payload) => void setTimeout(() => listener(payload), 300)),
    });
    try {
      await lagging.settled();
      const [line] = await database.raw.query<{ id: string; sim: string }>(
        `select l.id, s.id sim from lines l join sims s on s.line_id = l.id where l.msisdn = '+79161110021'`,
      );
      for (const day of ['2026-11-22', '2026-11-23']) {
        await database.raw.query(
          `insert into sim_changes (operator_id, line_id, msisdn, new_sim_id, channel, changed_at)
           values ($1, $2, '+79161110021', $3, 'counter', $4)`,
          [operatorId, line?.id, line?.sim, `${day}T10:00:00Z`],
        );
        const checks = await Promise.all([lagging.current(), lagging.current(), lagging.current()]);
        expect(checks).toEqual([true, true, true]);
        expect(lagging.latestChange(operatorId, '+79161110021')?.toISOString()).toBe(`${day}T10:00:00.000Z`);
      }
    } finally {
      await lagging.stop();
    }
  },
);

test('an index cut off from its notifications is not current', async () => {
  let feed: (payload: string | null) => void = () => {};
  const cut = await SwapIndex.start({
    ...database,
    listen: async (channel, listener) => {
      if (channel === 'simdesk_sim_changes') feed = listener;
      return async () => {};
    },
  });
  await cut.settled();
  feed(null);
  expect(await cut.current()).toBe(false);
  await cut.stop();
});
