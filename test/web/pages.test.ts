import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  await database.raw.query(
    `update operators set name = jsonb_set(name, '{en}', '"Volna <b>Mobile</b>"') where slug = 'volna'`,
  );
  app = await buildApp({ config: testConfig, database, logger: false });
  app.get('/boom', async () => {
    throw new Error('secret internal detail');
  });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('home and FAQ in three languages', () => {
  test.each([
    ['ru', 'Замена SIM-карты', 'Волна Мобайл', '300 ₽'],
    ['en', 'Replace your SIM card', 'Volna &lt;b>Mobile&lt;/b>', '₽300'],
    ['zh', '补办 SIM 卡', '浪潮移动', '₽300'],
  ])('home page in %s, negotiated from Accept-Language', async (lang, title, operator, fee) => {
    const res = await get('/', { 'accept-language': `${lang};q=0.9, de;q=0.5` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(new RegExp(`<html lang="${lang === 'zh' ? 'zh-Hans' : lang}"`));
    expect(res.body).toContain(title);
    expect(res.body).toContain(operator);
    expect(res.body.replace(/\u00a0/g, ' ')).toContain(fee);
    expect(res.body).not.toContain('<b>Mobile</b>');
  });

  test('the FAQ is built from the operator configuration', async () => {
    const volna = (await get('/faq', { 'accept-language': 'en' })).body;
    expect(volna).toContain('Moscow: 7–10 days');
    expect(volna).toContain('free if it is the first replacement in 12 months');
    expect(volna).toContain('Courier delivery to Other regions of Russia');
    expect(volna).toContain('Yes, if your phone supports eSIM');
    expect(volna).toContain('+7\u00a0800\u00a0555\u00a001\u00a001');

    const sever = (await get('/faq', { host: 'sever.localhost', 'accept-language': 'zh' })).body;
    expect(sever).toContain('北方电信');
    expect(sever).toContain('暂不支持');
    expect(sever).toContain('在线补卡仅面向俄罗斯公民');
    expect(sever).toContain('10–21 天');
  });

  test('the language comes from the query, then the cookie, then Accept-Language', async () => {
    expect((await get('/?lang=zh', { cookie: 'lang=en', 'accept-language': 'ru' })).body).toContain('补办 SIM 卡');
    expect((await get('/', { cookie: 'lang=en', 'accept-language': 'ru' })).body).toContain('Replace your SIM card');
    expect((await get('/', { 'accept-language': 'fr, *' })).body).toContain('Замена SIM-карты');
  });

  test('the language switch remembers the choice and only returns to this site', async () => {
    const res = await get('/lang/zh?next=%2Ffaq');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/faq');
    expect(String(res.headers['set-cookie'])).toMatch(/lang=zh;.*HttpOnly/);
    expect((await get('/lang/en?next=%2F%2Fevil.example')).headers.location).toBe('/account');
    expect((await get('/lang/de')).statusCode).toBe(404);
  });
});

describe('errors', () => {
  test('unknown pages get a translated 404 page, API clients JSON', async () => {
    const page = await get('/no/such/page', { 'accept-language': 'zh' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('页面未找到');
    const json = await get('/no/such/page', { accept: 'application/json' });
    expect(json.json()).toEqual({ error: 'not_found' });
  });

  test('a failure gets a translated 500 page with the request id and no internals', async () => {
    const res = await get('/boom', { 'accept-language': 'en', 'x-request-id': 'req-1234' });
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Sorry, something went wrong');
    expect(res.body).toContain('req-1234');
    expect(res.body).not.toContain('secret internal detail');
  });
});

describe('operations', () => {
  test('health and readiness', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).json()).toEqual({ status: 'ok', database: database.kind });
  });

  test('readiness fails when the database does not answer', async () => {
    const broken: Database = {
      ...database,
      raw: { ...database.raw, query: () => Promise.reject(new Error('connection refused')) },
    };
    const other = await buildApp({ config: testConfig, database: broken, logger: false });
    expect((await other.inject({ url: '/readyz' })).statusCode).toBe(503);
    await other.close();
  });

  test('security headers and request ids on every response', async () => {
    const res = await get('/', { 'x-request-id': 'abc-123' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect((await get('/')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('machine APIs answer with the headers that apply to JSON: a CSP allowing nothing, no sniffing, no caching', async () => {
    for (const url of ['/sim-swap/v2/check', '/api/v1/requests', '/oauth/token']) {
      const res = await app.inject({ method: 'POST', url, headers: { host: 'localhost' } });
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['x-frame-options'], url).toBeUndefined();
    }
    expect((await get('/api/docs')).headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  test('static assets are cached for a year under a content hash', async () => {
    const href = (await get('/')).body.match(/href="(\/assets\/site\.css\?v=[0-9a-f]+)"/)?.[1];
    expect(href).toBeDefined();
    const css = await get(href!);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
