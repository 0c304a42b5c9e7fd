import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { openPglite } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('cookies and HSTS follow the scheme the request came by', () => {
  let database: Database;
  beforeAll(async () => {
    database = await seededDatabase();
  });
  afterAll(() => database.close());

  /** Signs in through an app built with this proxy setting; the answer's cookies and headers. */
  async function signIn(trustProxy: boolean, headers: Record<string, string>, env = testConfig.env) {
    const app = await buildApp({ config: { ...testConfig, trustProxy, env }, database, logger: false });
    try {
      const page = await app.inject({ method: 'GET', url: '/login', headers: { host: 'localhost', ...headers } });
      const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { host: 'localhost', cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({ _csrf: csrf, phone: '+79161110001', password: DEMO_PASSWORD }).toString(),
      });
      expect(res.statusCode).toBe(303);
      return { page, res };
    } finally {
      await app.close();
    }
  }

  const secure = (res: { cookies: { name: string; secure?: boolean }[] }) =>
    Object.fromEntries(res.cookies.map((c) => [c.name, c.secure === true]));

  test('behind a trusted TLS proxy: every cookie Secure, and HSTS, even outside production', async () => {
    const { page, res } = await signIn(true, { 'x-forwarded-proto': 'https' }, 'development');
    expect(secure(page)).toEqual({ _csrf: true });
    expect(secure(res)).toMatchObject({ sid: true });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });

  test('plain HTTP, or a forwarded header from a proxy nobody said to trust: not Secure, no HSTS, even in production', async () => {
    for (const [trust, headers] of [
      [false, {}],
      [false, { 'x-forwarded-proto': 'https' }],
      [true, {}],
    ] as const) {
      const { page, res } = await signIn(trust, headers, 'production');
      expect(secure(page)).toEqual({ _csrf: false });
      expect(secure(res)).toMatchObject({ sid: false });
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});

test('the embedded database is readable by its owner only: directory 0700, files 0600', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'simdesk-modes-')), 'pglite');
  const database = await openPglite({ dataDir: dir });
  await database.migrate();
  await database.close();
  expect(mode(dir)).toBe(0o700);
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  expect(entries.length).toBeGreaterThan(100);
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    expect(mode(path), path).toBe(entry.isDirectory() ? 0o700 : 0o600);
  }
});

describe('secrets nobody configured', () => {
  test('are random per data directory, kept across restarts, in an owner-only file', () => {
    const first = mkdtempSync(join(tmpdir(), 'simdesk-secrets-'));
    const second = mkdtempSync(join(tmpdir(), 'simdesk-secrets-'));
    const a = loadConfig({ DATA_DIR: first });
    const again = loadConfig({ DATA_DIR: first });
    const b = loadConfig({ DATA_DIR: second });
    expect(again.paymentWebhookSecret).toBe(a.paymentWebhookSecret);
    expect(again.sessionSecret).toBe(a.sessionSecret);
    expect(again.documentKey).toEqual(a.documentKey);
    expect(b.paymentWebhookSecret).not.toBe(a.paymentWebhookSecret);
    expect(b.sessionSecret).not.toBe(a.sessionSecret);
    expect(a.paymentWebhookSecret).not.toMatch(/dev-only|change-me/);
    expect(a.paymentWebhookSecret.length).toBeGreaterThanOrEqual(32);
    expect(mode(first)).toBe(0o700);
    expect(mode(join(first, 'secrets.json'))).toBe(0o600);
  });

  test('are never made up in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdesk-secrets-'));
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(ConfigError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
