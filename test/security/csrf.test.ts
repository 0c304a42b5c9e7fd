import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, WebClient } from '../support/web-client.ts';

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

const languageOf = async (msisdn: string) =>
  (
    await database.raw.query<{ locale: string }>(
      'select a.locale from accounts a join lines l on l.account_id = a.id where l.msisdn = $1',
      [msisdn],
    )
  )[0]?.locale;

/** Posts the language form with exactly these cookies and this token, as a forged request would. */
const forge = (cookies: Map<string, string>, token: string | undefined, locale: string) =>
  app.inject({
    method: 'POST',
    url: '/account/settings/language',
    headers: {
      host: 'localhost',
      cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: token ?? '', locale }).toString(),
  });

test("A's token and A's CSRF cookie do not work with B's session", async () => {
  const a = await signedInClient(app, '+79161110001');
  await a.get('/account/settings');
  const b = await signedInClient(app, '+79161110011');
  const before = await languageOf('+79161110011');
  const mixed = new Map(a.cookies);
  mixed.set('sid', b.cookies.get('sid') ?? '');
  const res = await forge(mixed, a.csrf(), before === 'zh' ? 'en' : 'zh');
  expect(res.statusCode).toBe(403);
  expect(await languageOf('+79161110011')).toBe(before);

  const own = await forge(b.cookies, (await b.get('/account/settings')) && b.csrf(), 'zh');
  expect(own.statusCode).toBe(303);
  expect(await languageOf('+79161110011')).toBe('zh');
});

test('a token picked up before signing in is refused after it, and each sign-in brings a new one', async () => {
  const client = new WebClient(app, { host: 'localhost' });
  await client.get('/login');
  const anonymous = client.csrf();
  const anonymousCookie = client.cookies.get('_csrf');
  await client.post('/login', { phone: '+79161110021', password: DEMO_PASSWORD, next: '/account' });
  await client.get('/account/settings');
  const first = client.csrf();
  expect(first).not.toBe(anonymous);
  expect(client.cookies.has('_csrf')).toBe(false);

  const withOld = new Map(client.cookies);
  if (anonymousCookie) withOld.set('_csrf', anonymousCookie);
  expect((await forge(withOld, anonymous, 'zh')).statusCode).toBe(403);

  await client.post('/logout');
  const afterSignOut = await forge(client.cookies, first, 'zh');
  expect(afterSignOut.headers.location ?? '').not.toContain('done=language');
  expect(await languageOf('+79161110021')).not.toBe('zh');
  await client.get('/login');
  expect(client.csrf()).not.toBe(anonymous);
  await client.post('/login', { phone: '+79161110021', password: DEMO_PASSWORD, next: '/account' });
  await client.get('/account/settings');
  expect(client.csrf()).not.toBe(first);
  expect((await forge(client.cookies, first, 'zh')).statusCode).toBe(403);
  expect((await forge(client.cookies, client.csrf(), 'zh')).statusCode).toBe(303);
});

test('after signing out, the anonymous token from before sign-in is dead too', async () => {
  const client = new WebClient(app, { host: 'localhost' });
  await client.get('/login');
  const anonymous = client.csrf();
  await client.post('/login', { phone: '+79161110031', password: DEMO_PASSWORD, next: '/account' });
  await client.get('/account');
  await client.post('/logout');
  expect(client.cookies.has('_csrf')).toBe(false);
  await client.get('/login');
  expect(client.csrf()).not.toBe(anonymous);
  const replayed = await client.post('/login', {
    _csrf: anonymous ?? '',
    phone: '+79161110031',
    password: DEMO_PASSWORD,
    next: '/account',
  });
  expect(replayed.statusCode).toBe(403);
});
