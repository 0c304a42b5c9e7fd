import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { startMessaging } from '../support/messaging.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let messaging: Awaited<ReturnType<typeof startMessaging>>;
beforeAll(async () => {
  database = await seededDatabase();
  messaging = await startMessaging(database);
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await messaging.close();
  await app.close();
  await database.close();
});

const signedIn = (phone: string, lang = 'en') => signedInClient(app, phone, lang);
const accountOf = async (msisdn: string) =>
  (
    await database.raw.query<{ locale: string; email: string; second_phone: string; changed: boolean }>(
      `select a.locale, a.email, a.second_phone, a.contacts_changed_at > now() - interval '1 minute' changed
         from accounts a join lines l on l.account_id = a.id where l.msisdn = $1`,
      [msisdn],
    )
  )[0];
const codeIn = (text: string | undefined) => text?.match(/\b(\d{6})\b/)?.[1] ?? 'none';

test('the language is saved on the account and the pages switch to it', async () => {
  const john = await signedIn('+79161110021');
  expect((await john.get('/account')).body).toContain('href="/account/settings"');
  const saved = await john.post('/account/settings/language', { locale: 'zh' });
  expect(saved.headers.location).toBe('/account/settings?done=language');
  expect((await john.get('/account/settings?done=language')).body).toContain('语言已保存。');
  expect((await accountOf('+79161110021'))?.locale).toBe('zh');
});

test('a new e-mail needs the password and a code sent to it; the old address is told, and online replacement pauses', async () => {
  const anna = await signedIn('+79161110001');
  await anna.get('/account/settings');
  const noPassword = await anna.post('/account/settings/email', { email: 'anna.new@example.ru', password: '' });
  expect(noPassword.statusCode).toBe(400);
  expect(noPassword.body).toContain('value="anna.new@example.ru"');
  const bad = await anna.post('/account/settings/email', { email: 'not-an-address', password: DEMO_PASSWORD });
  expect(bad.body).toContain('href="#email">Enter an e-mail address like name@example.com');
  const taken = await anna.post('/account/settings/email', {
    email: 'John.Smith@example.com',
    password: DEMO_PASSWORD,
  });
  expect(taken.body).toContain('This e-mail belongs to another account');
  const wrongPassword = await anna.post('/account/settings/email', {
    email: 'anna.new@example.ru',
    password: 'nope nope nope',
  });
  expect(wrongPassword.body).toContain('href="#password"');

  const started = await anna.post('/account/settings/email', { email: 'Anna.New@example.ru', password: DEMO_PASSWORD });
  expect(started.headers.location).toBe('/account/settings/email/confirm');
  expect((await accountOf('+79161110001'))?.email).toBe('anna.ivanova@example.ru');
  await messaging.worker.drain();
  const [mail] = messaging.smtp.to('anna.new@example.ru');
  expect(mail?.subject).toBe('Волна Мобайл: подтвердите новый контакт');

  await anna.get('/account/settings/email/confirm');
  expect((await anna.post('/account/settings/email/confirm', { code: '000000' })).statusCode).toBe(400);
  const done = await anna.post('/account/settings/email/confirm', { code: codeIn(mail?.text) });
  expect(done.headers.location).toBe('/account/settings?done=email');
  expect(await accountOf('+79161110001')).toMatchObject({ email: 'anna.new@example.ru', changed: true });

  await messaging.worker.drain();
  const [notice] = messaging.smtp.to('anna.ivanova@example.ru');
  expect(notice?.text).toContain('Почта вашего счёта изменена на a•••@example.ru');
  expect(
    messaging.smsc.received.filter((m) => m.to === '79161110002' || m.to === '+79161110002').map((m) => m.text),
  ).toEqual([expect.stringContaining('Почта вашего счёта изменена')]);
  const line = (await database.raw.query<{ id: string }>(`select id from lines where msisdn = '+79161110001'`))[0]!;
  const refused = await anna.post(`/lines/${line.id}/replace`);
  expect(refused.statusCode).toBe(403);
  expect(refused.body).toContain('online replacement is possible again from');
});

test("a new second phone gets its code by SMS and may not be one of the account's own lines", async () => {
  const kate = await signedIn('+79161110041');
  await kate.get('/account/settings');
  const own = await kate.post('/account/settings/phone', { phone: '8 916 111-00-42', password: DEMO_PASSWORD });
  expect(own.body).toContain('The second phone must be a number other than your lines with us');
  await kate.post('/account/settings/phone', { phone: '+7 926 555 12 34', password: DEMO_PASSWORD });
  await messaging.worker.drain();
  const sms = messaging.smsc.received.find((m) => m.to.endsWith('79265551234'));
  expect(sms?.text).toContain('второго телефона');
  await kate.get('/account/settings/phone/confirm');
  expect((await kate.post('/account/settings/phone/confirm', { code: codeIn(sms?.text) })).statusCode).toBe(303);
  expect((await accountOf('+79161110041'))?.second_phone).toBe('+79265551234');
});

test("a request's notices reach the e-mail, the second phone and the old number through real SMTP and SMPP servers", async () => {
  await submittedRequest(database, '+79161110031');
  await messaging.worker.drain();
  const [mail] = messaging.smtp.to('d.petrov@example.ru');
  expect(mail?.subject).toMatch(/^Волна Мобайл: запрошена новая SIM для \+7 916 111 00 31$/);
  expect(mail?.text).toMatch(/http:\/\/localhost:3000\/wasnt-me\/[0-9a-f-]{36}\.[\w-]+/);
  const phones = messaging.smsc.received.filter((m) => /7916111003[12]$/.test(m.to)).map((m) => m.to.slice(-11));
  expect(phones.sort()).toEqual(['79161110031', '79161110032']);
  const toLine = messaging.smsc.received.find((m) => m.to.endsWith('79161110031'));
  expect(toLine?.text.length).toBeGreaterThan(70);
  expect(toLine?.text).toMatch(/Не вы\? http:\/\/localhost:3000\/wasnt-me\/[0-9a-f-]{36}\.[\w-]+$/);
});
