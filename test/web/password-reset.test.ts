import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import type { OutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { buildApp } from '../../src/web/app.ts';
import { startMessaging } from '../support/messaging.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let messaging: Awaited<ReturnType<typeof startMessaging>>;
let smtp: typeof messaging.smtp;
let smsc: typeof messaging.smsc;
let worker: OutboxWorker;
beforeAll(async () => {
  database = await seededDatabase();
  messaging = await startMessaging(database);
  ({ smtp, smsc, worker } = messaging);
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await messaging.close();
  await app.close();
  await database.close();
});

const ANNA = { phone: '+79161110001', email: 'anna.ivanova@example.ru' };
const mainText = (html: string) => html.match(/<main[\s\S]*<\/main>/)?.[0];
const signIn = (phone: string, password: string) =>
  new WebClient(app).submit('/login', '/login', { phone, password, next: '/account' });

test('a reset link goes to the registered e-mail, works once, and ends every session', async () => {
  const before = new WebClient(app);
  await before.submit('/login', '/login', { phone: ANNA.phone, password: DEMO_PASSWORD });
  expect((await before.get('/account')).statusCode).toBe(200);

  const c = new WebClient(app, { 'accept-language': 'en' });
  const asked = await c.submit('/password/forgot', '/password/forgot', { phone: '8 916 111 00 01', channel: 'email' });
  expect(asked.statusCode).toBe(200);
  const unknown = await new WebClient(app, { 'accept-language': 'en' }).submit('/password/forgot', '/password/forgot', {
    phone: '+79169999999',
    channel: 'email',
  });
  expect(mainText(unknown.body)).toBe(mainText(asked.body));

  await worker.drain();
  const [mail] = smtp.to(ANNA.email);
  expect(mail?.subject).toBe('Волна Мобайл: восстановление пароля');
  const link = mail?.text?.match(/https?:\/\/\S+\/password\/reset\/(\S+)/);
  expect(link).toBeTruthy();
  const path = `/password/reset/${link![1]}`;

  expect((await c.get(path)).statusCode).toBe(200);
  const mismatch = await c.post(path, { password: 'a long new password', confirm: 'another one' });
  expect(mismatch.statusCode).toBe(400);
  expect(mismatch.body).toContain('The two passwords are not the same');
  const short = await c.post(path, { password: 'short', confirm: 'short' });
  expect(short.body).toContain('at least 10 characters');

  const done = await c.post(path, { password: 'a long new password', confirm: 'a long new password' });
  expect(done.statusCode).toBe(303);
  expect(done.headers.location).toBe('/login?reset=done');
  expect((await c.get('/login?reset=done')).body).toContain('Your password has been changed');

  expect((await before.get('/account')).statusCode).toBe(303);
  expect((await signIn(ANNA.phone, DEMO_PASSWORD)).statusCode).toBe(401);
  expect((await signIn(ANNA.phone, 'a long new password')).statusCode).toBe(303);
  expect((await c.get(path)).statusCode).toBe(410);

  await worker.drain();
  expect(smtp.to(ANNA.email).map((m) => m.subject)).toContain('Волна Мобайл: пароль изменён');
  const mailbox = await c.get('/dev/mailbox');
  expect(mailbox.body).toContain('Волна Мобайл: восстановление пароля');
  expect(mailbox.body).toContain(ANNA.email);
});

test('at most three links an hour per account; more requests get the same page and send nothing', async () => {
  const phone = '+79161110021';
  const count = async () =>
    Number(
      (
        await database.raw.query<{ n: string }>(
          `select count(*) n from outbox where topic = 'email.send' and payload->>'to' = 'john.smith@example.com'`,
        )
      )[0]!.n,
    );
  const pages = [];
  for (let i = 0; i < 4; i++) {
    pages.push(
      mainText(
        (await new WebClient(app).submit('/password/forgot', '/password/forgot', { phone, channel: 'email' })).body,
      ),
    );
  }
  await worker.drain();
  expect(await count()).toBe(3);
  expect(new Set(pages).size).toBe(1);
});

test('a made-up link is refused with a translated page', async () => {
  const res = await new WebClient(app, { 'accept-language': 'zh' }).get('/password/reset/not-a-real-token');
  expect(res.statusCode).toBe(410);
  expect(res.body).toContain('此链接已过期或已被使用');
});

test('a code by SMS goes to the second phone, never to the line, and is traded once for a reset link', async () => {
  const c = new WebClient(app, { 'accept-language': 'ru' });
  const asked = await c.submit('/password/forgot', '/password/forgot', { phone: '+79161110003', channel: 'sms' });
  expect(asked.statusCode).toBe(200);
  expect(asked.body).toContain('Введите код');
  await worker.drain();
  const message = smsc.received.at(-1);
  expect(message?.to).toBe('79161110002');
  expect(smsc.received.some((m) => m.to === '79161110003' || m.to === '79161110001')).toBe(false);
  expect(message?.text).toMatch(/^Волна Мобайл: код \d{6} для смены пароля/);
  const code = message!.text.match(/\d{6}/)![0];

  const wrong = await c.post('/password/code', {
    phone: '+79161110003',
    code: code === '000000' ? '111111' : '000000',
  });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toContain('Код неверный или устарел');
  const right = await c.post('/password/code', { phone: '+79161110003', code });
  expect(right.statusCode).toBe(303);
  expect(right.headers.location).toMatch(/^\/password\/reset\/\S+$/);
  expect((await c.get(right.headers.location as string)).statusCode).toBe(200);
  expect((await c.post('/password/code', { phone: '+79161110003', code })).statusCode).toBe(400);
});

test('five wrong codes kill the code', async () => {
  const c = new WebClient(app);
  await c.submit('/password/forgot', '/password/forgot', { phone: '+79161110001', channel: 'sms' });
  await worker.drain();
  const code = smsc.received.at(-1)!.text.match(/\d{6}/)![0];
  const wrongCode = code === '000000' ? '111111' : '000000';
  for (let i = 0; i < 5; i++) await c.post('/password/code', { phone: '+79161110001', code: wrongCode });
  expect((await c.post('/password/code', { phone: '+79161110001', code })).statusCode).toBe(400);
});
