import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bookVisit, requestVisit } from '../../src/app/centers/visits.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { WebClient } from '../support/web-client.ts';

/** Wednesday 2 December 2026, 10:00 in Moscow; the slots below are that day's and the next. */
const clock = new Date('2026-12-02T07:00:00Z');
const at = (iso: string) => new Date(iso);

let database: Database;
let app: FastifyInstance;
let operatorId: string;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false, now: () => clock });
  operatorId = (await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'"))[0]!.id;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const visitor = (phone: string, clientIp: string) => ({
  name: 'Visitor',
  phone,
  email: null,
  lineMsisdn: null,
  locale: 'en' as const,
  clientIp,
});
const smsCount = async () =>
  (
    await database.raw.query<{ n: number }>(
      "select count(*)::int n from outbox where topic = 'sms.send' and idempotency_key like 'visit-code:%'",
    )
  )[0]!.n;

test('SMS pumping: codes go only to the operator’s country, five an hour from one address, within the day’s budget, and admins are told when it runs out', async () => {
  const before = await smsCount();
  const slot = at('2026-12-02T11:00:00Z');
  const abroad = await Promise.all(
    ['+8613800138001', '+12025550123', '+447700900124'].map((phone) =>
      requestVisit(database.db, operatorId, 'MSK-TVER', slot, visitor(phone, '198.51.100.7'), clock),
    ),
  );
  expect(abroad.map((r) => !r.ok && r.error)).toEqual(['visit.sms_country', 'visit.sms_country', 'visit.sms_country']);
  await database.raw.query("update operators set sms_countries = '{CN}' where id = $1", [operatorId]);
  expect(
    (await requestVisit(database.db, operatorId, 'MSK-TVER', slot, visitor('+8613800138001', '198.51.100.8'), clock))
      .ok,
  ).toBe(true);

  // One address, many phones, each code expiring before the next: five an hour, then refused.
  const answers: string[] = [];
  for (let i = 0; i < 8; i++) {
    const held = await requestVisit(
      database.db,
      operatorId,
      'MSK-TVER',
      slot,
      visitor(`+7999000${String(4400 + i)}`, '198.51.100.9'),
      new Date(clock.getTime() + i * 6 * 60_000),
    );
    answers.push(held.ok ? 'sent' : held.error);
  }
  expect(answers).toEqual([
    'sent',
    'sent',
    'sent',
    'sent',
    'sent',
    'visit.sms_busy',
    'visit.sms_busy',
    'visit.sms_busy',
  ]);

  await database.raw.query('update operators set visit_sms_per_day = $2 where id = $1', [
    operatorId,
    (await smsCount()) - before + 1,
  ]);
  const last = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    slot,
    visitor('+79990004501', '198.51.100.10'),
    clock,
  );
  const over = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    slot,
    visitor('+79990004502', '198.51.100.11'),
    clock,
  );
  expect(last.ok).toBe(true);
  expect(over).toEqual({ ok: false, error: 'visit.sms_budget' });
  const alerts = await database.raw.query<{ to: string; subject: string }>(
    "select payload->>'to' \"to\", payload->>'subject' subject from outbox where idempotency_key like 'sms-budget:%'",
  );
  expect(alerts.map((a) => a.to)).toContain('admin@volna.example');
  expect(alerts.every((a) => a.subject.length > 0)).toBe(true);
  await database.raw.query("update operators set visit_sms_per_day = 2000, sms_countries = '{}' where id = $1", [
    operatorId,
  ]);
});

test('booking flood: one account, phone or address holds at most the operator’s cap of visits', async () => {
  const [line] = await database.raw.query<{ account_id: string }>(
    "select account_id from lines where msisdn = '+79161110031'",
  );
  const contact = {
    name: 'Петров',
    phone: '+79161110031',
    email: null,
    lineMsisdn: null,
    locale: 'ru' as const,
    accountId: line!.account_id,
    clientIp: '203.0.113.40',
  };
  const slots = ['2026-12-02T12:00:00Z', '2026-12-02T12:30:00Z', '2026-12-02T13:00:00Z', '2026-12-02T13:30:00Z'];
  const booked = await Promise.all(
    slots.map((s) => bookVisit(database.db, testLinks, operatorId, 'MSK-TVER', at(s), contact, clock)),
  );
  expect(booked.filter((b) => b.ok)).toHaveLength(2);
  expect(booked.filter((b) => !b.ok).map((b) => !b.ok && b.error)).toEqual([
    'visit.too_many_active',
    'visit.too_many_active',
  ]);
  // Another phone from the same address is held to the cap as well; a signed-out visitor too.
  const sameAddress = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    at('2026-12-02T14:00:00Z'),
    visitor('+79990004601', '203.0.113.40'),
    clock,
  );
  expect(sameAddress).toEqual({ ok: false, error: 'visit.too_many_active' });
  await database.raw.query('update operators set active_visits_cap = 3 where id = $1', [operatorId]);
  expect((await bookVisit(database.db, testLinks, operatorId, 'MSK-TVER', at(slots[2]!), contact, clock)).ok).toBe(
    true,
  );
  await database.raw.query('update operators set active_visits_cap = 2 where id = $1', [operatorId]);
});

test('a full slot is said to be full before a code is sent', async () => {
  await database.raw.query("update service_centers set slot_capacity = 1 where code = 'MSK-TVER'");
  const taken = await bookVisit(
    database.db,
    testLinks,
    operatorId,
    'MSK-TVER',
    at('2026-12-02T15:00:00Z'),
    visitor('+79990004700', '203.0.113.49'),
    clock,
  );
  expect(taken.ok).toBe(true);
  const before = await smsCount();
  const full = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    at('2026-12-02T15:00:00Z'),
    visitor('+79990004701', '203.0.113.50'),
    clock,
  );
  expect(full).toEqual({ ok: false, error: 'visit.slot_full' });
  expect(await smsCount()).toBe(before);
  await database.raw.query("update service_centers set slot_capacity = 2 where code = 'MSK-TVER'");
});

test('the visit forms answer one address 40 times in ten minutes, then 429 with what was typed kept', async () => {
  const flood = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  await flood.get('/centers/MSK-TVER/book?day=2026-12-02');
  const statuses: number[] = [];
  for (let i = 0; i < 41; i++)
    statuses.push(
      (
        await flood.post('/centers/MSK-TVER/book?day=2026-12-02', {
          startsAt: '',
          name: 'Flood',
          phone: '+79990004801',
          email: '',
          line: '',
        })
      ).statusCode,
    );
  expect(statuses.slice(0, 40).every((s) => s === 400)).toBe(true);
  const refused = await flood.post('/centers/MSK-TVER/book?day=2026-12-02', {
    startsAt: '',
    name: 'Kept Name',
    phone: '+79990004801',
    email: '',
    line: '',
  });
  expect(refused.statusCode).toBe(429);
  expect(refused.body).toContain('Wait ten minutes');
  expect(refused.body).toContain('value="Kept Name"');
});
