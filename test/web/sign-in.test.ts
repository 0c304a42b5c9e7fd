import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { ACCOUNT_POLICY } from '../../src/domain/lockout.ts';
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

const client = (lang = 'en') => new WebClient(app, { 'accept-language': lang });
const signIn = (c: WebClient, phone: string, password = DEMO_PASSWORD) =>
  c.submit('/login', '/login', { phone, password, next: '/account' });
const attempts = async (ip: string) =>
  (await database.raw.query<{ succeeded: boolean }>('select succeeded from login_attempts where ip = $1', [ip])).map(
    (r) => r.succeeded,
  );

describe('signing in', () => {
  test.each([['8 916 111-00-01'], ['+7 (916) 111 00 01'], ['89161110001'], ['+79161110003']])(
    'with %s and the password opens the account',
    async (phone) => {
      const c = client();
      const res = await signIn(c, phone);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/account');
      const sid = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find(
        (k) => k.name === 'sid',
      );
      expect(sid?.httpOnly).toBe(true);
      expect(sid?.sameSite).toBe('Lax');
      const account = await c.get('/account');
      expect(account.statusCode).toBe(200);
      expect(account.body).toContain('Иванова Анна Сергеевна');
      expect(account.body).toContain('+7 916 111 00 03');
    },
  );

  test('a wrong password and an unknown number get the same answer, and both are recorded', async () => {
    const wrong = await signIn(client(), '+79161110001', 'not-the-password');
    const unknown = await signIn(client(), '+79169999999', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(unknown.statusCode);
    const message = (body: string) => body.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0];
    expect(message(wrong.body)).toContain('The phone number or the password is not right');
    expect(message(wrong.body)).toBe(message(unknown.body));
    expect(await attempts('127.0.0.1')).toContain(false);
  });

  test('missing fields are named, linked to their inputs, and what was typed stays', async () => {
    const res = await client('ru').submit('/login', '/login', { phone: '8 916 111 00 01', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#password"');
    expect(res.body).toContain('Введите пароль');
    expect(res.body).toContain('value="8 916 111 00 01"');
    expect(res.body).toMatch(/<title>[^<]*:/);
  });

  test('repeated failures lock the number out, even with the right password afterwards', async () => {
    const phone = '+79161110011';
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await signIn(client(), phone, `wrong-${i}`);
    const locked = await signIn(client('zh'), phone);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('失败次数过多');
  });

  test('a form without a valid CSRF token is refused with a translated page', async () => {
    const res = await client('ru').post('/login', { _csrf: 'forged', phone: '+79161110001', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Срок действия формы истёк');
  });

  test('pages that need a session send the visitor to sign in and back', async () => {
    const res = await client().get('/account');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount');
  });
});

describe('sessions', () => {
  test('signing in again issues a new session id and ends the old one', async () => {
    const c = client();
    await signIn(c, '+79161110001');
    const first = c.cookies.get('sid');
    await c.get('/account');
    await c.post('/login', { phone: '+79161110001', password: DEMO_PASSWORD, next: '/account' });
    const second = c.cookies.get('sid');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const stale = new WebClient(app);
    stale.cookies.set('sid', first as string);
    expect((await stale.get('/account')).statusCode).toBe(303);
  });

  test('sign out ends this session; sign out everywhere ends them all', async () => {
    const phone = '+79161110001';
    const [a, b, c] = [client(), client(), client()];
    for (const x of [a, b, c]) await signIn(x, phone);
    await a.submit('/account', '/logout', {});
    expect((await a.get('/account')).statusCode).toBe(303);
    expect((await b.get('/account')).statusCode).toBe(200);
    await b.submit('/account', '/logout/everywhere', {});
    expect((await b.get('/account')).statusCode).toBe(303);
    expect((await c.get('/account')).statusCode).toBe(303);
  });
});

test('the sign-in page is translated', async () => {
  const titles = { ru: 'Вход', en: 'Sign in', zh: '登录' };
  for (const [lang, title] of Object.entries(titles)) {
    const res = await client(lang).get('/login');
    expect(res.body).toContain(`<h1>${title}</h1>`);
  }
});

test("on a new device the pages follow the account's language, unless the person chose one there", async () => {
  const fresh = client('en');
  await signIn(fresh, '+79161110101');
  expect((await fresh.get('/account')).body).toContain('<html lang="zh-Hans">');

  const chosen = client('en');
  await chosen.get('/lang/ru?next=/login');
  await signIn(chosen, '+79161110101');
  expect((await chosen.get('/account')).body).toContain('<html lang="ru">');
});
