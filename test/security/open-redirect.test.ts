import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
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

/** Each is a `next` that some URL parser resolves to another site, or that breaks the header. */
const hostile = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '//evil.example',
  '/ /evil.example',
  'https://evil.example/account',
  '/%2F/evil.example',
  'javascript:alert(1)',
  '/account\u0000',
  '/no-such-page',
];

/** Where a browser would land if it followed `location` from a page of the site. */
const landing = (location: string) => new URL(location, 'http://localhost/').href;

test.each(hostile)('the language switch never sends anyone off the site (next=%j)', async (next) => {
  const res = await app.inject({ method: 'GET', url: `/lang/en?next=${encodeURIComponent(next)}` });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/account');
  expect(landing(res.headers.location as string)).toBe('http://localhost/account');
});

test.each(hostile)('sign-in never sends anyone off the site (next=%j)', async (next) => {
  const client = new WebClient(app, { host: 'localhost' });
  await client.get('/login');
  const res = await client.post('/login', { phone: '+79161110001', password: DEMO_PASSWORD, next });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/account');
});

test('a raw newline or tab in the query is a redirect home, not a 500', async () => {
  for (const raw of ['/%0a/evil.example', '/%09/evil.example', '/%0d%0aSet-Cookie:%20x=1'])
    for (const url of [`/lang/ru?next=${raw}`, `/login?next=${raw}`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('x=1');
      if (res.statusCode === 303) expect(res.headers.location).toBe('/account');
      else expect(res.body).toContain('<input type="hidden" name="next" value="/account"/>');
    }
});

test('the pages of the site are kept as return paths, with their query', async () => {
  const res = await app.inject({
    method: 'GET',
    url: `/lang/zh?next=${encodeURIComponent('/account/settings?tab=1')}`,
  });
  expect(res.headers.location).toBe('/account/settings?tab=1');
  const request = await app.inject({
    method: 'GET',
    url: '/lang/zh?next=/requests/00000000-0000-0000-0000-000000000000',
  });
  expect(request.headers.location).toBe('/requests/00000000-0000-0000-0000-000000000000');
});
