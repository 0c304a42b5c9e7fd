import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, staffClient, WebClient } from '../support/web-client.ts';

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

const code = (at = Date.now()) =>
  generate({ secret: DEMO_STAFF_TOTP_SECRET, epoch: Math.floor(at / 1000) }) as Promise<string>;

test('e-mail, password, then the authenticator: the first sign-in shows the enrolment QR, later ones do not', async () => {
  const client = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  await client.get('/staff');
  expect((await client.post('/staff', { email: 'reviewer@volna.example', password: 'wrong' })).statusCode).toBe(401);
  const step = await client.post('/staff', { email: 'Reviewer@Volna.example', password: DEMO_STAFF_PASSWORD });
  expect(step.headers.location).toBe('/staff/totp');
  expect((await client.get('/staff/home')).headers.location).toBe('/staff');

  const enrol = await client.get('/staff/totp');
  expect(enrol.body).toContain('Set up your authenticator app');
  expect(enrol.body).toContain('src="data:image/png;base64,');
  expect(enrol.body).toContain(DEMO_STAFF_TOTP_SECRET);
  const wrong = await client.post('/staff/totp', { code: '000000' === (await code()) ? '111111' : '000000' });
  expect(wrong.statusCode).toBe(401);
  expect(wrong.body).toContain('The code is wrong or has expired');
  const done = await client.post('/staff/totp', { code: await code() });
  expect(done.headers.location).toBe('/staff/home');
  const home = await client.get('/staff/home');
  expect(home.statusCode).toBe(200);
  expect(home.body).toContain('Reviewer');

  const again = await staffClient(app, database, 'reviewer@volna.example');
  expect(again.last?.headers.location).toBe('/staff/home');
  const second = new WebClient(app, { host: 'localhost' });
  await second.submit('/staff', '/staff', { email: 'reviewer@volna.example', password: DEMO_STAFF_PASSWORD });
  expect((await second.get('/staff/totp')).body).not.toContain(DEMO_STAFF_TOTP_SECRET);
  const [audit] = await database.raw.query<{ actions: string[] }>(
    "select array_agg(action order by id) actions from audit_log where action like 'staff.%'",
  );
  expect(audit?.actions).toEqual(['staff.totp_enrolled', 'staff.sign_in']);
});

test('a staff cookie works only on its own operator and only on staff pages; a subscriber session opens nothing there', async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  expect((await agent.get('/staff/home')).statusCode).toBe(200);
  const cookie = agent.cookies.get('staff_sid') ?? '';
  const elsewhere = await app.inject({
    method: 'GET',
    url: '/staff/home',
    headers: { host: 'sever.localhost', cookie: `staff_sid=${cookie}` },
  });
  expect(elsewhere.statusCode).toBe(303);
  expect(elsewhere.headers.location).toBe('/staff');
  const onPortal = await app.inject({
    method: 'GET',
    url: '/account',
    headers: { host: 'localhost', cookie: `staff_sid=${cookie}` },
  });
  expect(onPortal.headers.location).toMatch(/^\/login/);
  expect(String(agent.last?.headers['set-cookie'] ?? '')).not.toContain('Path=/;');

  const subscriber = await signedInClient(app, '+79161110001');
  expect((await subscriber.get('/staff/home')).headers.location).toBe('/staff');

  const wrongOperator = new WebClient(app, { host: 'sever.localhost' });
  await wrongOperator.get('/staff');
  const refused = await wrongOperator.post('/staff', {
    email: 'store-agent@volna.example',
    password: DEMO_STAFF_PASSWORD,
  });
  expect(refused.statusCode).toBe(401);
});

test('a session that has only passed the password step reaches nothing but the code page', async () => {
  const client = new WebClient(app, { host: 'localhost' });
  await client.submit('/staff', '/staff', { email: 'logistics@volna.example', password: DEMO_STAFF_PASSWORD });
  expect((await client.get('/staff/home')).headers.location).toBe('/staff');
  await client.get('/staff/totp');
  expect((await client.post('/staff/logout/everywhere')).statusCode).toBe(401);
});

test('wrong codes are counted and lock the second step; a stolen password cannot lock the password step of its owner', async () => {
  const client = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  await client.submit('/staff', '/staff', { email: 'admin@volna.example', password: DEMO_STAFF_PASSWORD });
  await client.get('/staff/totp');
  const bad = (await code()) === '123456' ? '654321' : '123456';
  const answers: number[] = [];
  for (let i = 0; i < 7; i++) answers.push((await client.post('/staff/totp', { code: bad })).statusCode);
  expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  const locked = await client.post('/staff/totp', { code: await code() });
  expect(locked.body).toContain('Too many failed attempts');
  const owner = new WebClient(app, { host: 'localhost' });
  const password = await owner.submit('/staff', '/staff', {
    email: 'admin@volna.example',
    password: DEMO_STAFF_PASSWORD,
  });
  expect(password.headers.location).toBe('/staff/totp');
});

test('sign out here, and sign out on every device', async () => {
  const first = await staffClient(app, database, 'logistics@sever.example', 'sever.localhost');
  const second = await staffClient(app, database, 'logistics@sever.example', 'sever.localhost');
  await first.get('/staff/home');
  expect((await first.post('/staff/logout/everywhere')).headers.location).toBe('/staff');
  expect((await second.get('/staff/home')).headers.location).toBe('/staff');
  const third = await staffClient(app, database, 'logistics@sever.example', 'sever.localhost');
  await third.get('/staff/home');
  await third.post('/staff/logout');
  expect((await third.get('/staff/home')).headers.location).toBe('/staff');
});

test('the staff pages are translated', async () => {
  for (const [lang, title] of [
    ['ru', 'Вход для сотрудников'],
    ['zh', '员工登录'],
    ['en', 'Staff sign-in'],
  ] as const) {
    const page = await app.inject({
      method: 'GET',
      url: '/staff',
      headers: { host: 'localhost', cookie: `lang=${lang}` },
    });
    expect(page.body).toContain(title);
  }
});

test("a store agent's home shows the center's stock by kind and warns below the center's threshold", async () => {
  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const home = await agent.get('/staff/home');
  expect(home.body).toContain('Stock at your center');
  const [stock] = await database.raw.query<{ physical: number }>(
    `select count(*)::int physical from sims s join staff_users u on u.center_id = s.center_id
      where u.email = 'store-agent@volna.example' and s.status = 'in_stock' and s.form_factor <> 'esim'`,
  );
  expect(home.body).toMatch(new RegExp(`<dt>SIM cards</dt><dd>${stock?.physical}`));
  await database.raw.query(
    "update service_centers set low_stock_threshold = 1000 where id = (select center_id from staff_users where email = 'store-agent@volna.example')",
  );
  expect((await agent.get('/staff/home')).body).toContain('Low: fewer than 1000; ask logistics for more');
  const reviewer = await staffClient(app, database, 'reviewer@sever.example', 'sever.localhost');
  expect((await reviewer.get('/staff/home')).body).not.toContain('Stock at your center');
});

test('a code is accepted once: the same code again, even within its 30 seconds, is refused', async () => {
  const first = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  await database.raw.query("update staff_users set totp_last_step = null where email = 'logistics@volna.example'");
  await first.submit('/staff', '/staff', { email: 'logistics@volna.example', password: DEMO_STAFF_PASSWORD });
  await first.get('/staff/totp');
  const seen = await code();
  expect((await first.post('/staff/totp', { code: seen })).headers.location).toBe('/staff/home');
  const replay = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  await replay.submit('/staff', '/staff', { email: 'logistics@volna.example', password: DEMO_STAFF_PASSWORD });
  await replay.get('/staff/totp');
  const refused = await replay.post('/staff/totp', { code: seen });
  expect(refused.statusCode).toBe(401);
  expect(refused.body).toContain('The code is wrong or has expired');
  const next = await replay.post('/staff/totp', { code: await code(Date.now() + 30_000) });
  expect(next.headers.location).toBe('/staff/home');
});
