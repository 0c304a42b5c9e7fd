import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient, WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let admin: WebClient;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  admin = await staffClient(app, database, 'admin@volna.example');
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const lastAudit = async (action: string) =>
  (
    await database.raw.query<{ data: { before: Record<string, unknown>; after: Record<string, unknown> } }>(
      'select data from audit_log where action = $1 order by id desc limit 1',
      [action],
    )
  )[0]?.data;

/** The page until it shows `text`: on PostgreSQL the cache hears of a change a moment after the commit. */
async function eventually(url: string, text: string) {
  for (let i = 0; i < 40; i++) {
    const body = (await new WebClient(app).get(url)).body;
    if (body.includes(text)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never showed ${text}`);
}

const policyForm = async () => {
  const page = (await admin.get('/staff/settings')).body;
  const fields: Record<string, string> = {};
  for (const [, name, value] of page.matchAll(/<input id="(\w+)" name="\w+" type="text" value="([^"]*)"/g))
    fields[name as string] = (value as string).replace(/&amp;/g, '&');
  for (const [, name] of page.matchAll(/<input type="checkbox" id="(\w+)" name="\w+" value="on" checked/g))
    fields[name as string] = 'on';
  fields.onlineReplacement = 'everyone';
  return fields;
};

test('policies: every bad value is named at once with what was typed kept; a good change applies at once and is audited', async () => {
  const form = await policyForm();
  expect(form).toMatchObject({ swapHoldMinutes: '15', fourEyesRiskThreshold: '60', courierPassportCheck: 'on' });
  const bad = await admin.post('/staff/settings', {
    ...form,
    swapHoldMinutes: 'soon',
    fourEyesRiskThreshold: '101',
    supportEmail: 'nobody',
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('Enter a whole number within the range shown');
  expect(bad.body).toContain('Enter an e-mail address');
  expect(bad.body).toContain('value="soon"');
  expect(bad.body).toContain('href="#fourEyesRiskThreshold"');

  const { courierPassportCheck: _off, ...unticked } = form;
  const saved = await admin.post('/staff/settings', {
    ...unticked,
    swapHoldMinutes: '30',
    supportPhone: '+7 800 100-20-30',
  });
  expect(saved.headers.location).toBe('/staff/settings?saved=yes');
  expect(await lastAudit('operator.policies_changed')).toEqual({
    before: { swapHoldMinutes: 15, courierPassportCheck: true, supportPhone: expect.any(String) },
    after: { swapHoldMinutes: 30, courierPassportCheck: false, supportPhone: '+7 800 100-20-30' },
  });
  const [row] = await database.raw.query<{ swap_hold_minutes: number; courier_passport_check: boolean }>(
    "select swap_hold_minutes, courier_passport_check from operators where slug = 'volna'",
  );
  expect(row).toEqual({ swap_hold_minutes: 30, courier_passport_check: false });
  await eventually('/', '800\u00a0100\u00a020\u00a030');
  expect(
    (await admin.post('/staff/settings', { ...unticked, swapHoldMinutes: '30', supportPhone: '+7 800 100-20-30' }))
      .headers.location,
  ).toBe('/staff/settings?saved=same');
});

test('fees: a row is added (a bad amount refused) and removed, each audited, and the wizard quotes it', async () => {
  const bad = await admin.submit('/staff/settings/fees', '/staff/settings/fees', { reason: 'stolen', amount: 'free' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('Enter an amount such as 350');
  const added = await admin.post('/staff/settings/fees', { reason: 'stolen', simType: 'esim', amount: '123.45' });
  expect(added.headers.location).toBe('/staff/settings/fees?saved=added');
  expect(await lastAudit('fees.rule_added')).toMatchObject({
    before: null,
    after: { reason: 'stolen', simType: 'esim', amountMinor: 12345 },
  });
  const page = (await admin.get('/staff/settings/fees')).body;
  const [, ruleId] = page.match(/\/staff\/settings\/fees\/([0-9a-f-]{36})\/delete/) ?? [];
  const [rule] = await database.raw.query<{ id: string }>('select id from fee_rules where amount_minor = 12345');
  expect(page).toContain('123.45');
  expect((await admin.post(`/staff/settings/fees/${rule?.id}/delete`)).headers.location).toBe(
    '/staff/settings/fees?saved=removed',
  );
  expect(await database.raw.query('select 1 from fee_rules where amount_minor = 12345')).toEqual([]);
  expect(ruleId).toBeDefined();
  expect((await admin.post(`/staff/settings/fees/${rule?.id}/delete`)).statusCode).toBe(404);
});

test('a center: weekly hours, a holiday and slot capacity are saved together; mistakes are named per field', async () => {
  const [center] = await database.raw.query<{ id: string; code: string }>(
    "select id, code from service_centers where code = 'MSK-TVER'",
  );
  const url = `/staff/settings/centers/${center?.id}`;
  const page = (await admin.get(url)).body;
  expect(page).toContain('MSK-TVER');
  const form = {
    phone: '+7 495 000-00-00',
    slotMinutes: '20',
    slotCapacity: '3',
    lowStockThreshold: '4',
    active: 'on',
    hours1: '09:00-13:00, 14:00-20:00',
    hours2: '09:00-20:00',
    hours3: '09:00-20:00',
    hours4: '09:00-20:00',
    hours5: '09:00-20:00',
    hours6: '10:00-16:00',
    hours7: '',
    exceptions: '2026-12-31 10:00-15:00\n2027-01-01 closed',
  };
  const bad = await admin.post(url, {
    ...form,
    hours2: '20:00-09:00',
    slotCapacity: 'many',
    exceptions: '2026-13-01 closed',
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('href="#hours2"');
  expect(bad.body).toContain('href="#slotCapacity"');
  expect(bad.body).toContain('href="#exceptions"');
  expect(bad.body).toContain('20:00-09:00');

  expect((await admin.post(url, form)).headers.location).toBe(`${url}?saved=yes`);
  const hours = await database.raw.query<{ weekday: number; opens: string; closes: string }>(
    'select weekday, opens::text, closes::text from center_hours where center_id = $1 order by weekday, opens',
    [center?.id],
  );
  expect(hours.filter((h) => h.weekday === 1)).toEqual([
    { weekday: 1, opens: '09:00:00', closes: '13:00:00' },
    { weekday: 1, opens: '14:00:00', closes: '20:00:00' },
  ]);
  expect(hours.some((h) => h.weekday === 7)).toBe(false);
  const [exception] = await database.raw.query<{ intervals: unknown }>(
    "select intervals from center_exceptions where center_id = $1 and date = '2027-01-01'",
    [center?.id],
  );
  expect(exception?.intervals).toEqual([]);
  expect(await lastAudit('center.settings_changed')).toMatchObject({
    after: { slotMinutes: 20, slotCapacity: 3, hours1: '09:00-13:00, 14:00-20:00' },
  });
  expect((await admin.get(url)).body).toContain('2027-01-01 closed');
});

test('staff: invite with a first password shown once, deactivate, reset the authenticator; nobody demotes themselves', async () => {
  const missingCenter = await admin.submit('/staff/team', '/staff/team', {
    fullName: 'Ivan Petrov',
    email: 'ivan@volna.example',
    roles: 'store_agent',
  });
  expect(missingCenter.statusCode).toBe(400);
  expect(missingCenter.body).toContain('A store agent works at a center');
  expect(missingCenter.body).toContain('value="Ivan Petrov"');
  const taken = await admin.post('/staff/team', {
    fullName: 'Copy',
    email: 'Reviewer@volna.example',
    roles: 'reviewer',
  });
  expect(taken.body).toContain('A staff member with this e-mail already exists');

  const invited = await admin.post('/staff/team', {
    fullName: 'Ivan Petrov',
    email: 'ivan@volna.example',
    roles: 'reviewer',
  });
  const [, password] = invited.body.match(/<code>([\w-]{16})<\/code>/) ?? [];
  expect(password).toBeDefined();
  const ivan = new WebClient(app);
  const signIn = await ivan.submit('/staff', '/staff', { email: 'ivan@volna.example', password: password as string });
  expect(signIn.headers.location).toBe('/staff/totp');
  expect(await lastAudit('staff.invited')).toMatchObject({
    after: { email: 'ivan@volna.example', roles: ['reviewer'] },
  });

  const [member] = await database.raw.query<{ id: string }>(
    "select id from staff_users where email = 'ivan@volna.example'",
  );
  expect((await admin.post(`/staff/team/${member?.id}`, { roles: 'reviewer' })).headers.location).toBe(
    '/staff/team?saved=member',
  );
  expect(await lastAudit('staff.updated')).toEqual({ before: { active: true }, after: { active: false } });
  const refused = await new WebClient(app).submit('/staff', '/staff', {
    email: 'ivan@volna.example',
    password: password as string,
  });
  expect(refused.headers.location).not.toBe('/staff/totp');

  const [reviewer] = await database.raw.query<{ id: string }>(
    "select id from staff_users where email = 'reviewer@volna.example'",
  );
  expect((await admin.post(`/staff/team/${reviewer?.id}/reset-totp`)).headers.location).toBe('/staff/team?saved=totp');
  const [after] = await database.raw.query<{ confirmed: Date | null }>(
    'select totp_confirmed_at confirmed from staff_users where id = $1',
    [reviewer?.id],
  );
  expect(after?.confirmed).toBeNull();

  const [self] = await database.raw.query<{ id: string }>(
    "select id from staff_users where email = 'admin@volna.example'",
  );
  const demoted = await admin.post(`/staff/team/${self?.id}`, { roles: 'reviewer', active: 'on' });
  expect(demoted.statusCode).toBe(400);
  expect(demoted.body).toContain('You cannot take away your own administrator role');
});

test('a platform admin creates an operator with its first admin, who signs in on its own host name', async () => {
  const platform = await staffClient(app, database, 'platform-admin@volna.example');
  const form = {
    slug: 'zarya',
    nameRu: 'Заря',
    nameEn: 'Zarya',
    nameZh: '曙光',
    hostnames: 'zarya.localhost, sim.zarya.example',
    timeZone: 'Asia/Novosibirsk',
    currency: 'rub',
    supportPhone: '+7 383 000-00-00',
    supportEmail: 'help@zarya.example',
    adminName: 'Olga Zorina',
    adminEmail: 'Olga@zarya.example',
  };
  const bad = await platform.submit('/staff/platform', '/staff/platform/operators', {
    ...form,
    slug: 'volna',
    hostnames: 'localhost',
    timeZone: 'Mars/Olympus',
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('Enter an IANA time zone');
  expect(bad.body).toContain('value="Olga@zarya.example"');
  const taken = await platform.post('/staff/platform/operators', { ...form, slug: 'volna' });
  expect(taken.body).toContain('Another operator has this short name');
  const host = await platform.post('/staff/platform/operators', { ...form, hostnames: 'sever.localhost' });
  expect(host.body).toContain('Another operator already uses one of these host names');

  const created = await platform.post('/staff/platform/operators', form);
  expect(created.statusCode).toBe(200);
  const [, link] = created.body.match(/<code>(http[^<]+\/staff\/enrol\/[\w-]{43})<\/code>/) ?? [];
  expect(created.body).not.toMatch(/password/i);
  const [operator] = await database.raw.query<{ id: string; hostnames: string[]; currency: string }>(
    "select id, hostnames, currency from operators where slug = 'zarya'",
  );
  expect(operator).toMatchObject({ hostnames: ['zarya.localhost', 'sim.zarya.example'], currency: 'RUB' });
  const [audit] = await database.raw.query<{ operator_id: string; action: string }>(
    "select operator_id, action from audit_log where action = 'operator.created'",
  );
  expect(audit?.operator_id).toBe(operator?.id);
  const [mail] = await database.raw.query<{ payload: { to: string; text: string } }>(
    "select payload from outbox where topic = 'email.send' and payload->>'to' = 'olga@zarya.example'",
  );
  expect(mail?.payload.text).toContain(link);

  const path = new URL(link as string).pathname;
  expect(new URL(link as string).hostname).toBe('zarya.localhost');
  expect((await new WebClient(app).get(path)).statusCode).toBe(410);
  const olga = new WebClient(app, { host: 'zarya.localhost' });
  const weak = await olga.submit(path, path, { next: 'short', repeat: 'short' });
  expect(weak.statusCode).toBe(400);
  const password = 'zarya olga sets her own';
  const enrolled = await olga.submit(path, path, { next: password, repeat: password });
  expect(enrolled.headers.location).toBe('/staff/totp');
  expect((await olga.get('/staff/totp')).body).toContain('Подключите приложение-аутентификатор');
  expect((await new WebClient(app, { host: 'zarya.localhost' }).get(path)).statusCode).toBe(410);
  const signIn = await new WebClient(app, { host: 'zarya.localhost' }).submit('/staff', '/staff', {
    email: 'olga@zarya.example',
    password,
  });
  expect(signIn.headers.location).toBe('/staff/totp');
  const elsewhere = await new WebClient(app).submit('/staff', '/staff', { email: 'olga@zarya.example', password });
  expect(elsewhere.headers.location).not.toBe('/staff/totp');
  const home = (await new WebClient(app, { host: 'zarya.localhost' }).get('/')).body;
  expect(home).toContain('Заря: замена SIM-карты');
  expect(home).toContain('Наши салоны ещё не открыты');
  expect(home).not.toMatch(/\b0 салон/);
});

test('a courier zone: its window and price are changed, a reversed window is refused in its own form', async () => {
  const page = (await admin.get('/staff/settings/zones')).body;
  const [, zoneId] = page.match(/action="\/staff\/settings\/zones\/([0-9a-f-]{36})"/) ?? [];
  const [zone] = await database.raw.query<{ code: string; cities: string[] }>(
    'select code, cities from delivery_zones where id = $1',
    [zoneId],
  );
  const form = { minDays: '2', maxDays: '4', courierFee: '250', cities: 'moscow', postcodePrefixes: '10, 11' };
  const bad = await admin.post(`/staff/settings/zones/${zoneId}`, { ...form, minDays: '9', postcodePrefixes: '1x' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('The slowest delivery cannot be faster than the fastest');
  expect(bad.body).toContain('Use postcode beginnings of 1 to 6 digits');
  expect(bad.body).toContain(`id="minDays-${zone?.code}" name="minDays" type="text" value="9"`);

  expect((await admin.post(`/staff/settings/zones/${zoneId}`, form)).headers.location).toBe(
    '/staff/settings/zones?saved=yes',
  );
  const [after] = await database.raw.query<{
    min_days: number;
    courier_fee_minor: number;
    postcode_prefixes: string[];
  }>('select min_days, courier_fee_minor, postcode_prefixes from delivery_zones where id = $1', [zoneId]);
  expect(after).toEqual({ min_days: 2, courier_fee_minor: 25_000, postcode_prefixes: ['10', '11'] });
  expect(await lastAudit('zone.changed')).toMatchObject({ after: { courierFeeMinor: 25_000 } });
});

test('an FAQ answer is written in all three languages and appears on the FAQ page in each', async () => {
  const entry = {
    questionRu: 'Можно ли заменить SIM в аэропорту?',
    questionEn: 'Can I replace a SIM at the airport?',
    questionZh: '可以在机场补换 SIM 卡吗？',
    answerRu: 'Да, в салоне «Авиапарк».',
    answerEn: 'Yes, at the Aviapark center.',
    answerZh: '可以，在 Aviapark 服务中心。',
  };
  const missing = await admin.submit('/staff/settings/faq', '/staff/settings/faq', { ...entry, answerZh: '' });
  expect(missing.statusCode).toBe(400);
  expect(missing.body).toContain('href="#answerZh"');
  expect(missing.body).toContain('Can I replace a SIM at the airport?');
  expect((await admin.post('/staff/settings/faq', entry)).headers.location).toBe('/staff/settings/faq?saved=yes');
  for (const [lang, text] of [
    ['en', 'Yes, at the Aviapark center.'],
    ['ru', 'Можно ли заменить SIM в аэропорту?'],
    ['zh', '可以在机场补换 SIM 卡吗？'],
  ] as const) {
    const visitor = new WebClient(app);
    await visitor.get(`/lang/${lang}?next=/faq`);
    let body = '';
    for (let i = 0; i < 40 && !body.includes(text); i++) {
      body = (await visitor.get('/faq')).body;
      if (!body.includes(text)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(body).toContain(text);
  }
  const [row] = await database.raw.query<{ id: string }>('select id from faq_entries');
  expect((await admin.post(`/staff/settings/faq/${row?.id}/delete`)).headers.location).toBe(
    '/staff/settings/faq?saved=yes',
  );
  expect(await lastAudit('faq.entry_removed')).toMatchObject({
    before: { question: { en: entry.questionEn } },
    after: null,
  });
});

test('a new center is added closed, then opened with its hours, and the finder lists it', async () => {
  const center = {
    code: 'kzn-kremlin',
    cityKey: 'kazan',
    nameRu: 'Волна Кремлёвская',
    nameEn: 'Volna Kremlyovskaya',
    nameZh: '浪潮 克里姆林街店',
    cityRu: 'Казань',
    cityEn: 'Kazan',
    cityZh: '喀山',
    addressRu: 'ул. Кремлёвская, 10',
    addressEn: '10 Kremlyovskaya St',
    addressZh: '克里姆林街10号',
    latitude: '55.7963',
    longitude: '49.1088',
    timeZone: 'Europe/Moscow',
    phone: '+7 843 000-00-00',
  };
  const bad = await admin.submit('/staff/settings/centers', '/staff/settings/centers', {
    ...center,
    code: 'MSK-TVER',
    latitude: '155.1',
    timeZone: 'Europe/Atlantis',
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('href="#latitude"');
  expect(bad.body).toContain('href="#timeZone"');
  expect(bad.body).toContain('value="Волна Кремлёвская"');
  const taken = await admin.post('/staff/settings/centers', { ...center, code: 'msk-tver' });
  expect(taken.body).toContain('Another center already has this code');

  const added = await admin.post('/staff/settings/centers', center);
  const [row] = await database.raw.query<{ id: string; code: string; active: boolean }>(
    "select id, code, active from service_centers where code = 'KZN-KREMLIN'",
  );
  expect(row).toMatchObject({ code: 'KZN-KREMLIN', active: false });
  expect(added.headers.location).toBe(`/staff/settings/centers/${row?.id}?saved=yes`);
  expect(await lastAudit('center.added')).toMatchObject({ after: { code: 'KZN-KREMLIN', cityKey: 'kazan' } });
  const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`hours${d}`, d < 6 ? '10:00-19:00' : '']));
  const opened = await admin.post(`/staff/settings/centers/${row?.id}`, {
    phone: center.phone,
    slotMinutes: '30',
    slotCapacity: '2',
    lowStockThreshold: '5',
    active: 'on',
    exceptions: '',
    ...week,
  });
  expect(opened.headers.location).toBe(`/staff/settings/centers/${row?.id}?saved=yes`);
  await eventually('/centers', 'Волна Кремлёвская');
});
