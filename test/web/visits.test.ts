import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sendVisitReminders } from '../../src/app/centers/visit-messages.ts';
import { confirmVisit, purgeUnconfirmedVisits, requestVisit } from '../../src/app/centers/visits.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { signedInClient, staffClient, WebClient } from '../support/web-client.ts';

/** Wednesday 2 December 2026, 10:00 in Moscow. */
const clock = new Date('2026-12-02T07:00:00Z');
/** 14:00 Moscow the same day, a slot of the center's hours. */
const slot = '2026-12-02T11:00:00.000Z';

let database: Database;
let app: FastifyInstance;
let operatorId: string;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false, now: () => clock });
  const [operator] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  operatorId = operator?.id ?? '';
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const messagesTo = (to: string) =>
  database.raw.query<{ topic: string; text: string; subject: string | null; key: string }>(
    `select topic, coalesce(payload->>'text', '') text, payload->>'subject' subject, idempotency_key key
       from outbox where payload->>'to' = $1 order by created_at, id`,
    [to],
  );
const codeIn = (text: string) => text.match(/\b(\d{6})\b/)?.[1] ?? '';

test('book without signing in: a slot, a phone proved by its code, a ticket with the address and what to bring; cancel and move by the link', async () => {
  const visitor = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  const page = await visitor.get('/centers/MSK-TVER/book?day=2026-12-02');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`value="${slot}"`);
  expect(page.body).toContain('2 places left');
  expect(page.body).not.toContain('value="2026-12-02T07:00:00.000Z"');

  const bad = await visitor.post('/centers/MSK-TVER/book?day=2026-12-02', {
    startsAt: slot,
    name: 'Wang Fang',
    phone: '12',
    email: '',
    line: '',
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('value="Wang Fang"');
  const asked = await visitor.post('/centers/MSK-TVER/book?day=2026-12-02', {
    startsAt: slot,
    name: 'Wang Fang',
    phone: '+7 999 000-11-22',
    email: 'wang.fang@example.cn',
    line: '+79161110051',
  });
  expect(asked.statusCode).toBe(200);
  expect(asked.body).toContain('Type the code we sent');
  const [sms] = await messagesTo('+79990001122');
  const code = codeIn(sms?.text ?? '');
  expect(code).toHaveLength(6);
  const pending = asked.body.match(/name="pending" value="([^"]+)"/)?.[1] ?? '';
  const wrong = await visitor.post('/centers/MSK-TVER/book/confirm', {
    pending,
    code: '000000' === code ? '111111' : '000000',
  });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toContain('The code is not right');
  const booked = await visitor.post('/centers/MSK-TVER/book/confirm', { pending, code });
  expect(booked.statusCode).toBe(303);
  const ticketPage = await visitor.get(booked.headers.location as string);
  expect(ticketPage.body).toContain('Booked. We sent the ticket');
  const ticket = ticketPage.body.match(/V-[0-9A-Z]{7}/)?.[0] ?? '';
  expect(ticket).not.toBe('');
  expect(ticketPage.headers['cache-control']).toBe('no-store');

  const sent = await messagesTo('+79990001122');
  const confirmation = sent.find((m) => m.key.startsWith('visit-confirm'));
  expect(confirmation?.text).toContain(ticket);
  expect(confirmation?.text).toContain('12 Tverskaya St');
  expect(confirmation?.text).toContain('Bring your passport');
  const link = confirmation?.text.match(/http:\/\/\S+\/visits\/\S+/)?.[0] ?? '';
  expect(new URL(link).pathname).toBe(booked.headers.location?.split('?')[0]);
  const [mail] = (await messagesTo('wang.fang@example.cn')).filter((m) => m.topic === 'email.send');
  expect(mail?.subject).toContain('Volna Tverskaya');

  const path = new URL(link).pathname;
  const later = '2026-12-03T08:00:00.000Z';
  const move = await visitor.post(`${path}/move`, { startsAt: later });
  expect(move.statusCode).toBe(303);
  expect((await visitor.get(move.headers.location as string)).body).toContain('Moved.');
  const [moved] = await database.raw.query<{ starts_at: Date }>(
    'select starts_at from appointments where ticket = $1',
    [ticket],
  );
  expect(moved?.starts_at.toISOString()).toBe(later);
  const cancel = await visitor.post(`${path}/cancel`);
  expect((await visitor.get(cancel.headers.location as string)).body).toContain('Cancelled. The place is free');
  expect((await visitor.post(`${path}/cancel`)).statusCode).toBe(404);
  expect((await visitor.get('/visits/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).statusCode).toBe(404);
});

test('a signed-in subscriber books without a code, in their language', async () => {
  const subscriber = await signedInClient(app, '+79161110011', 'zh');
  await subscriber.get('/centers/MSK-TVER/book');
  const booked = await subscriber.post('/centers/MSK-TVER/book', { startsAt: '2026-12-02T12:00:00.000Z' });
  expect(booked.statusCode).toBe(303);
  const [confirmation] = (await messagesTo('+79161110011')).filter((m) => m.key.startsWith('visit-confirm'));
  expect(confirmation?.text).toContain('特维尔大街12号');
});

test('two people booking the last place in a slot at once: exactly one gets it', async () => {
  await database.raw.query("update service_centers set slot_capacity = 1 where code = 'MSK-TVER'");
  const startsAt = new Date('2026-12-02T13:00:00Z');
  const contact = (phone: string) => ({ name: 'Visitor', phone, email: null, lineMsisdn: null, locale: 'en' as const });
  const pendings: { id: string; code: string }[] = [];
  for (const phone of ['+79990002201', '+79990002202']) {
    const held = await requestVisit(database.db, operatorId, 'MSK-TVER', startsAt, contact(phone), clock);
    if (!held.ok) throw new Error(held.error);
    const [sms] = await messagesTo(phone);
    pendings.push({ id: held.value.pendingId, code: codeIn(sms?.text ?? '') });
  }
  const results = await Promise.all(
    pendings.map((p) => confirmVisit(database.db, testLinks, operatorId, p.id, p.code, clock)),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: 'visit.slot_full' });
  const page = await new WebClient(app, { host: 'localhost' }).get('/centers/MSK-TVER/book?day=2026-12-02');
  expect(page.body).toMatch(new RegExp(`value="${startsAt.toISOString()}"[^>]*disabled`));
  await database.raw.query("update service_centers set slot_capacity = 2 where code = 'MSK-TVER'");
});

test('the reminder goes once, the day before; the ticket is redeemed at the counter', async () => {
  const startsAt = new Date('2026-12-03T09:00:00Z');
  const held = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    startsAt,
    { name: 'Петров Дмитрий', phone: '+79990003301', email: null, lineMsisdn: '+79161110031', locale: 'ru' },
    clock,
  );
  if (!held.ok) throw new Error(held.error);
  const [sms] = await messagesTo('+79990003301');
  const booked = await confirmVisit(
    database.db,
    testLinks,
    operatorId,
    held.value.pendingId,
    codeIn(sms?.text ?? ''),
    clock,
  );
  expect(booked.ok).toBe(true);
  const reminders = async () => (await messagesTo('+79990003301')).filter((m) => m.key.startsWith('visit-reminder'));
  const dayBefore = new Date(startsAt.getTime() - 20 * 3_600_000);
  await sendVisitReminders(database.db, testLinks, new Date(startsAt.getTime() - 30 * 3_600_000));
  expect(await reminders()).toHaveLength(0);
  expect(await sendVisitReminders(database.db, testLinks, dayBefore)).toBeGreaterThanOrEqual(1);
  expect(await sendVisitReminders(database.db, testLinks, dayBefore)).toBe(0);
  expect(await reminders()).toHaveLength(1);
  const [reminder] = await reminders();
  expect(reminder?.text).toContain('напоминаем');
  expect(reminder?.text).toContain('/visits/');

  const [visit] = await database.raw.query<{ ticket: string; id: string }>(
    'select ticket, id from appointments where contact_phone = $1',
    ['+79990003301'],
  );
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const found = await agent.get(`/staff/counter?q=${visit?.ticket.toLowerCase().replace('-', '')}`);
  expect(found.headers.location).toContain(`?visit=${visit?.id}`);
  await agent.get(found.headers.location as string);
  const created = await agent.post(found.headers.location as string, {
    docType: 'passport_ru',
    docNumber: '4516 110031',
    reason: 'lost',
    simType: 'physical',
  });
  expect(created.statusCode).toBe(303);
  const [after] = await database.raw.query<{ status: string; request_id: string | null }>(
    'select status, request_id from appointments where id = $1',
    [visit?.id],
  );
  expect(after?.status).toBe('attended');
  expect(after?.request_id).not.toBeNull();
});

test('a booking whose code was never typed is forgotten a day after the code expired', async () => {
  const held = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    new Date('2026-12-03T12:00:00Z'),
    { name: 'Nobody', phone: '+79990006601', email: null, lineMsisdn: null, locale: 'en' },
    clock,
  );
  if (!held.ok) throw new Error(held.error);
  const pending = async () =>
    (
      await database.raw.query<{ n: number }>('select count(*)::int n from appointments where id = $1', [
        held.value.pendingId,
      ])
    )[0]?.n;
  await purgeUnconfirmedVisits(database.db, new Date(clock.getTime() + 3_600_000));
  expect(await pending()).toBe(1);
  await purgeUnconfirmedVisits(database.db, new Date(clock.getTime() + 2 * 86_400_000));
  expect(await pending()).toBe(0);
});

test('five wrong codes use a pending visit up: the right code after them books nothing', async () => {
  const held = await requestVisit(
    database.db,
    operatorId,
    'MSK-TVER',
    new Date('2026-12-03T10:00:00Z'),
    { name: 'Guess', phone: '+79990005501', email: null, lineMsisdn: null, locale: 'en' },
    clock,
  );
  if (!held.ok) throw new Error(held.error);
  const [sms] = await messagesTo('+79990005501');
  const code = codeIn(sms?.text ?? '');
  const wrong = code === '000000' ? '111111' : '000000';
  const answers: string[] = [];
  for (let i = 0; i < 5; i++) {
    const tried = await confirmVisit(database.db, testLinks, operatorId, held.value.pendingId, wrong, clock);
    answers.push(tried.ok ? 'booked' : tried.error);
  }
  expect(answers).toEqual(Array(5).fill('visit.code_wrong'));
  expect(await confirmVisit(database.db, testLinks, operatorId, held.value.pendingId, code, clock)).toEqual({
    ok: false,
    error: 'visit.code_expired',
  });
});
