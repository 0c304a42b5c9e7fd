import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { testDatabase } from '../support/db.ts';
import { testConfig } from '../support/test-config.ts';

/** An installation with no operator yet: a clear 503 everywhere, never a 500, in the reader's language. */
let database: Database;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  database = await testDatabase('empty');
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

test.each([
  ['ru', 'simdesk ещё не настроен'],
  ['en', 'simdesk is not set up yet'],
  ['zh', 'simdesk 尚未设置'],
])('every page answers 503 "not set up yet" in %s', async (lang, title) => {
  for (const url of ['/', '/login', '/staff', '/centers']) {
    const page = await app.inject({ url, headers: { accept: 'text/html', 'accept-language': lang } });
    expect(page.statusCode, url).toBe(503);
    expect(page.body).toContain(title);
    expect(page.body).toContain('simdesk operator create');
  }
});

test('the readiness probe and the JSON answers say why', async () => {
  const ready = await app.inject({ url: '/readyz' });
  expect(ready.statusCode).toBe(503);
  expect(ready.json()).toMatchObject({ status: 'not_set_up' });
  expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  const api = await app.inject({ url: '/api/v1/centers', headers: { accept: 'application/json' } });
  expect(api.statusCode).toBe(503);
  expect(api.json()).toMatchObject({ status: 503, detail: expect.stringContaining('operator create') });
  for (const url of ['/sim-swap/v2/check', '/oauth/token']) {
    const answer = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(answer.statusCode, url).toBe(503);
  }
});
