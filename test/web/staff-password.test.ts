import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inviteStaff } from '../../src/app/admin/team.ts';
import { sealSecret } from '../../src/app/secret-box.ts';
import { DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff } from '../support/staff.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient, WebClient } from '../support/web-client.ts';

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

test('a first password set by an administrator must be changed before anything else; the change ends the other sessions', async () => {
  const admin = (await demoStaff(database)).admin;
  const invited = await inviteStaff(database.db, testConfig.documentKey, admin, {
    fullName: 'Ivan Petrov',
    email: 'ivan@volna.example',
    roles: 'reviewer',
  });
  if (!invited.ok) throw new Error(JSON.stringify(invited.error));
  const first = invited.value.password;
  // As if Ivan had enrolled the authenticator the first sign-in asks for.
  await database.raw.query(
    'update staff_users set totp_secret_encrypted = $2, totp_confirmed_at = now() where id = $1',
    [invited.value.id, sealSecret(testConfig.documentKey, DEMO_STAFF_TOTP_SECRET)],
  );

  const ivan = await staffClient(app, database, 'ivan@volna.example', 'localhost', first);
  expect((await ivan.get('/staff/home')).headers.location).toBe('/staff/password');
  expect((await ivan.get('/staff/review')).headers.location).toBe('/staff/password');
  const page = await ivan.get('/staff/password');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('An administrator set your password');
  const elsewhere = await staffClient(app, database, 'ivan@volna.example', 'localhost', first);

  const bad = await ivan.post('/staff/password', { current: 'wrong', next: 'short', repeat: 'other' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('The current password is not right');
  expect(bad.body).toContain('The two new passwords differ');
  expect(bad.body).not.toContain('value="wrong"');
  const same = await ivan.post('/staff/password', { current: first, next: first, repeat: first });
  expect(same.body).toContain('Choose a password other than the current one');

  const next = 'a river runs through the steppe';
  const changed = await ivan.post('/staff/password', { current: first, next, repeat: next });
  expect(changed.headers.location).toBe('/staff/home?password=changed');
  expect((await ivan.get('/staff/home?password=changed')).body).toContain('Your password is changed');
  expect((await ivan.get('/staff/review')).statusCode).toBe(200);
  expect((await elsewhere.get('/staff/home')).headers.location).toBe('/staff');

  const withOld = await new WebClient(app).submit('/staff', '/staff', { email: 'ivan@volna.example', password: first });
  expect(withOld.headers.location).not.toBe('/staff/totp');
  const [audit] = await database.raw.query<{ actor_id: string }>(
    "select actor_id from audit_log where action = 'staff.password_changed'",
  );
  expect(audit?.actor_id).toBe(invited.value.id);
});

test('any member may change their own password from the staff home page', async () => {
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/home')).body).toContain('href="/staff/password"');
  const page = await reviewer.get('/staff/password');
  expect(page.body).toContain('Your other sessions end when you change it.');
  // Guessing the current password from a session left open counts toward the sign-in's lockout.
  const guess = { current: 'not-my-password', next: 'a brand new passphrase', repeat: 'a brand new passphrase' };
  for (let i = 0; i < 5; i++)
    expect((await reviewer.post('/staff/password', guess)).body).toContain('The current password is not right');
  expect((await reviewer.post('/staff/password', guess)).body).toContain('Too many failed attempts');
});
