import { afterAll, beforeAll, expect, test } from 'vitest';
import { sendPasswordReset } from '../../src/app/auth/password-reset.ts';
import { sendSecondFactorCode } from '../../src/app/auth/second-factor.ts';
import { bookVisit, confirmVisit, requestVisit } from '../../src/app/centers/visits.ts';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';
import { testLinks } from '../support/test-config.ts';

/** Wednesday 2 December 2026, 10:00 in Moscow; 14:00 is a slot of MSK-TVER. */
const clock = new Date('2026-12-02T07:00:00Z');
const slot = new Date('2026-12-02T11:00:00.000Z');

let database: Database;
let operatorId: string;
beforeAll(async () => {
  database = await testDatabase('seeded', 24);
  const [operator] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  operatorId = operator?.id ?? '';
});
afterAll(() => database.close());

const tally = (answers: PromiseSettledResult<{ ok: boolean; error?: unknown }>[]) => {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key =
      a.status === 'rejected' ? `error ${String(a.reason).slice(0, 60)}` : a.value.ok ? 'ok' : String(a.value.error);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

test.skipIf(!process.env.DATABASE_URL)(
  'twenty wrong visit codes sent at once: five are checked, the rest refused as used up',
  async () => {
    const asked = await requestVisit(
      database.db,
      operatorId,
      'MSK-TVER',
      slot,
      {
        name: 'Wang Fang',
        phone: '+79990007788',
        email: null,
        lineMsisdn: null,
        locale: 'en',
      },
      clock,
    );
    if (!asked.ok) throw new Error(asked.error);
    const answers = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        confirmVisit(database.db, testLinks, operatorId, asked.value.pendingId, '000001', clock),
      ),
    );
    const counts = tally(answers);
    console.log(`20 wrong visit codes at once: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ 'visit.code_wrong': 5, 'visit.code_expired': 15 });
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  'six visit codes asked for one phone at once: three are sent (the hourly limit), three refused',
  async () => {
    // The cap on visits one person holds (2 by default) would stop the flood first; raised, the code limit is seen.
    await database.raw.query('update operators set active_visits_cap = 10 where id = $1', [operatorId]);
    const answers = await Promise.allSettled(
      Array.from({ length: 6 }, (_, n) =>
        requestVisit(
          database.db,
          operatorId,
          'MSK-TVER',
          new Date(slot.getTime() + n * 1_800_000),
          {
            name: 'Flood',
            phone: '+79990007799',
            email: null,
            lineMsisdn: null,
            locale: 'en',
          },
          clock,
        ),
      ),
    );
    const counts = tally(answers);
    console.log(`6 visit codes for one phone at once: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ ok: 3, 'visit.too_many_codes': 3 });
    await database.raw.query('update operators set active_visits_cap = 2 where id = $1', [operatorId]);
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  'ten second-factor codes asked at once: five are sent (the hourly limit), five are refused',
  async () => {
    const [account] = await database.raw.query<{ id: string }>(
      "select a.id from accounts a join lines l on l.account_id = a.id where l.msisdn = '+79161110001'",
    );
    const actor = { operatorId, accountId: account?.id ?? '', sessionId: 'race', ip: '127.0.0.1' };
    const answers = await Promise.allSettled(
      Array.from({ length: 10 }, () => sendSecondFactorCode(database.db, actor, 'email')),
    );
    const counts = tally(answers);
    console.log(`10 second-factor codes at once: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ ok: 5, 'second_factor.too_many': 5 });
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  'six reset links asked at once by two instances’ workers: three are sent (the hourly limit)',
  async () => {
    const asked = {
      operatorId,
      phone: '+79161110001',
      channel: 'email' as const,
      ip: '127.0.0.1',
      at: new Date().toISOString(),
    };
    await Promise.all(Array.from({ length: 6 }, () => sendPasswordReset(database.db, testLinks, asked)));
    const [links] = await database.raw.query<{ n: number }>(
      `select count(*)::int n from password_reset_tokens t join lines l on l.account_id = t.account_id
        where l.msisdn = '+79161110001' and t.channel = 'email'`,
    );
    console.log(`6 reset links at once: ${links?.n} sent`);
    expect(links?.n).toBe(3);
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  'eight bookings by one account at once, at eight slots: the cap of two holds',
  async () => {
    const [line] = await database.raw.query<{ account_id: string }>(
      "select account_id from lines where msisdn = '+79161110041'",
    );
    const answers = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) =>
        bookVisit(
          database.db,
          testLinks,
          operatorId,
          'MSK-TVER',
          new Date(slot.getTime() + n * 1_800_000),
          {
            name: 'Смирнова',
            phone: '+79161110041',
            email: null,
            lineMsisdn: null,
            locale: 'ru',
            accountId: line!.account_id,
            clientIp: '203.0.113.77',
          },
          clock,
        ),
      ),
    );
    const counts = tally(answers);
    console.log(`8 bookings by one account at once: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ ok: 2, 'visit.too_many_active': 6 });
  },
);
