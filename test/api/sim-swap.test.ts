import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { accessTokens } from '../../src/app/api/access-tokens.ts';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { counterWalkIn } from '../support/counter-swap.ts';
import { secondInstance } from '../support/db.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/**
 * CAMARA SIM Swap 2.1.0 as `sim-swap.yaml` says, case by case: every answer is validated against
 * the schema the specification gives for its status.
 */
const spec = parse(readFileSync(new URL('../../specs/camara/sim-swap.yaml', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
(formats as unknown as (ajv: Ajv) => void)(ajv);
/** The specification's components as a JSON Schema document, OpenAPI's `nullable` turned into a type union. */
const components = JSON.parse(
  JSON.stringify(spec.components.schemas).replace(/"#\/components\/schemas\//g, '"camara#/definitions/'),
  (_key, value) =>
    value && typeof value === 'object' && value.nullable === true
      ? { ...value, type: [value.type, 'null'], nullable: undefined }
      : value,
);
ajv.addSchema({ $id: 'camara', definitions: components });
const schemaOf = (path: string, status: number) => {
  const response = spec.paths[path].post.responses[String(status)];
  const resolved = response.$ref ? spec.components.responses[response.$ref.split('/').pop()] : response;
  return JSON.parse(
    JSON.stringify(resolved.content['application/json'].schema).replace(
      /"#\/components\/schemas\//g,
      '"camara#/definitions/',
    ),
  );
};

const NOW = new Date('2026-11-27T12:00:00Z');
let database: Database;
let app: FastifyInstance;
let both: { clientId: string; secret: string };
let dateOnly: { clientId: string; secret: string };
let severClient: { clientId: string; secret: string };
let volnaId: string;
const tokens = accessTokens(testConfig.sessionSecret);

beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false, now: () => NOW });
  const ids = await database.raw.query<{ id: string; slug: string }>('select id, slug from operators');
  volnaId = ids.find((o) => o.slug === 'volna')?.id ?? '';
  const severId = ids.find((o) => o.slug === 'sever')?.id ?? '';
  both = await createApiClient(database.db, { operatorId: volnaId, name: 'Bank', scopes: ['sim-swap'] });
  dateOnly = await createApiClient(database.db, {
    operatorId: volnaId,
    name: 'Fintech',
    scopes: ['sim-swap:retrieve-date'],
  });
  severClient = await createApiClient(database.db, { operatorId: severId, name: 'Bank', scopes: ['sim-swap'] });
  await database.raw.query(
    `insert into sim_changes (operator_id, msisdn, changed_at, source) values
       ($1, '+79161110011', $2, 'import'), ($1, '+79990000001', '2026-01-01T09:00:00+03:00', 'import')`,
    [volnaId, new Date(NOW.getTime() - 10 * 3_600_000)],
  );
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const basic = (c: { clientId: string; secret: string }) =>
  `Basic ${Buffer.from(`${c.clientId}:${c.secret}`).toString('base64')}`;

async function tokenFor(c: { clientId: string; secret: string }, scope?: string, host = 'localhost') {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { host, authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token as string;
}

async function call(
  path: 'check' | 'retrieve-date',
  body: unknown,
  token: string | null,
  headers: Record<string, string> = {},
  on: FastifyInstance = app,
) {
  const res = await on.inject({
    method: 'POST',
    url: `/sim-swap/v2/${path}`,
    headers: {
      host: 'localhost',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const validate = ajv.compile(schemaOf(`/${path}`, res.statusCode));
  expect(validate(res.json()), `${res.statusCode} ${res.body} ${ajv.errorsText(validate.errors)}`).toBe(true);
  return res;
}

/** The operator's policy as requests see it: its cache hears of the change a moment after the commit on PostgreSQL. */
async function setMonitoredDays(days: number | null) {
  await database.raw.query('update operators set sim_swap_monitored_days = $2 where id = $1', [volnaId, days]);
  for (let i = 0; i < 100 && (await policySeen()) !== days; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
/** The monitored period the API applies now, read through a retrieve-date for a number swapped long ago. */
async function policySeen(): Promise<number | null> {
  const token = await tokenFor(both);
  const res = await app.inject({
    method: 'POST',
    url: '/sim-swap/v2/retrieve-date',
    headers: { host: 'localhost', 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: JSON.stringify({ phoneNumber: '+79990000001' }),
  });
  return res.json().monitoredPeriod ?? null;
}

const expectError = (res: { statusCode: number; json(): unknown }, status: number, code: string) => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ status, code });
};

describe('OAuth 2.0 client credentials', () => {
  test('a token for the scopes granted, refused for a wrong secret, grant or scope', async () => {
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(form).toString(),
      });
    const ok = await post({ authorization: basic(both) }, { grant_type: 'client_credentials' });
    expect(ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'sim-swap' });
    expect(ok.headers['cache-control']).toBe('no-store');
    const inBody = await post(
      {},
      { grant_type: 'client_credentials', client_id: both.clientId, client_secret: both.secret },
    );
    expect(inBody.statusCode).toBe(200);
    const wrong = await post(
      { authorization: basic({ ...both, secret: 'guess' }) },
      { grant_type: 'client_credentials' },
    );
    expect([wrong.statusCode, wrong.json()]).toEqual([401, { error: 'invalid_client' }]);
    const grant = await post({ authorization: basic(both) }, { grant_type: 'password' });
    expect([grant.statusCode, grant.json()]).toEqual([400, { error: 'unsupported_grant_type' }]);
    const scope = await post(
      { authorization: basic(dateOnly) },
      { grant_type: 'client_credentials', scope: 'sim-swap' },
    );
    expect([scope.statusCode, scope.json()]).toEqual([400, { error: 'invalid_scope' }]);
    const elsewhere = await post(
      { authorization: basic(severClient), host: 'localhost' },
      { grant_type: 'client_credentials' },
    );
    expect(elsewhere.statusCode).toBe(401);
  });
});

describe('POST /sim-swap/v2/check', () => {
  test('swapped true within maxAge, false outside it and for a number never swapped; maxAge 240 by default', async () => {
    const token = await tokenFor(both);
    expect((await call('check', { phoneNumber: '+79161110011', maxAge: 24 }, token)).json()).toEqual({ swapped: true });
    expect((await call('check', { phoneNumber: '+79161110011', maxAge: 9 }, token)).json()).toEqual({ swapped: false });
    expect((await call('check', { phoneNumber: '+79161110011' }, token)).json()).toEqual({ swapped: true });
    expect((await call('check', { phoneNumber: '+79161110001', maxAge: 2400 }, token)).json()).toEqual({
      swapped: false,
    });
  });

  test('maxAge out of range, of the wrong type, and beyond the monitored period', async () => {
    const token = await tokenFor(both);
    expectError(await call('check', { phoneNumber: '+79161110011', maxAge: 0 }, token), 400, 'OUT_OF_RANGE');
    expectError(await call('check', { phoneNumber: '+79161110011', maxAge: 2401 }, token), 400, 'OUT_OF_RANGE');
    expectError(await call('check', { phoneNumber: '+79161110011', maxAge: '24' }, token), 400, 'INVALID_ARGUMENT');
    expectError(await call('check', { phoneNumber: '+79161110011', maxAge: 1.5 }, token), 400, 'INVALID_ARGUMENT');
    await setMonitoredDays(30);
    try {
      const beyond = await call('check', { phoneNumber: '+79161110011', maxAge: 1000 }, token);
      expectError(beyond, 400, 'OUT_OF_RANGE');
      expect(beyond.json().message).toBe('Check monitor period could not exceed local regulations (30 days)');
    } finally {
      await setMonitoredDays(null);
    }
  });

  test('malformed, unknown, missing and unnecessary phone numbers', async () => {
    const token = await tokenFor(both);
    for (const phoneNumber of ['89161110011', '+0916111', 79161110011, '+7916111001a'])
      expectError(await call('check', { phoneNumber, maxAge: 24 }, token), 400, 'INVALID_ARGUMENT');
    expectError(await call('check', { phoneNumber: '+79990009999' }, token), 404, 'IDENTIFIER_NOT_FOUND');
    expectError(await call('check', { maxAge: 24 }, token), 422, 'MISSING_IDENTIFIER');
    const [consented] = await database.raw.query<{ id: string }>('select id from api_clients where client_id = $1', [
      both.clientId,
    ]);
    const threeLegged = (
      await tokens.issue(
        {
          clientId: consented?.id ?? '',
          operatorId: volnaId,
          scopes: ['sim-swap:check'],
          ratePerMinute: 100,
          phoneNumber: '+79161110011',
        },
        NOW,
      )
    ).token;
    expectError(
      await call('check', { phoneNumber: '+79161110011', maxAge: 24 }, threeLegged),
      422,
      'UNNECESSARY_IDENTIFIER',
    );
    expect((await call('check', { maxAge: 24 }, threeLegged)).json()).toEqual({ swapped: true });
    expectError(await call('check', '{"phoneNumber": ', token), 400, 'INVALID_ARGUMENT');
    expectError(await call('check', [], token), 400, 'INVALID_ARGUMENT');
  });

  test('no token, a forged, an expired and another operator’s token; a token without the scope', async () => {
    const body = { phoneNumber: '+79161110011', maxAge: 24 };
    expectError(await call('check', body, null), 401, 'UNAUTHENTICATED');
    const token = await tokenFor(both);
    const [head, payload, signature] = token.split('.');
    const forged = `${head}.${payload}.${signature?.slice(0, -2)}${signature?.endsWith('AA') ? 'BB' : 'AA'}`;
    expectError(await call('check', body, forged), 401, 'UNAUTHENTICATED');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, scope: 'sim-swap sim-swap:check' })).toString('base64url');
    expectError(await call('check', body, `${head}.${widened}.${signature}`), 401, 'UNAUTHENTICATED');
    const expired = (
      await tokens.issue(
        { clientId: 'x', operatorId: volnaId, scopes: ['sim-swap'], ratePerMinute: 100 },
        new Date(NOW.getTime() - 600_000),
      )
    ).token;
    expectError(await call('check', body, expired), 401, 'UNAUTHENTICATED');
    expectError(
      await call('check', body, await tokenFor(severClient, undefined, 'sever.localhost')),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await call('check', body, await tokenFor(dateOnly)), 403, 'PERMISSION_DENIED');
    expect((await call('check', body, await tokenFor(both, 'sim-swap'))).statusCode).toBe(200);
    const narrowed = await tokenFor(both, 'sim-swap:retrieve-date');
    expectError(await call('check', body, narrowed), 403, 'PERMISSION_DENIED');
    expect((await call('retrieve-date', { phoneNumber: '+79161110011' }, narrowed)).statusCode).toBe(200);
  });

  test('x-correlator is echoed on answers and errors; an invalid one is refused', async () => {
    const token = await tokenFor(both);
    const ok = await call('check', { phoneNumber: '+79161110011' }, token, { 'x-correlator': 'b4333c46-49c0-4f62' });
    expect(ok.headers['x-correlator']).toBe('b4333c46-49c0-4f62');
    const refused = await call('check', { phoneNumber: '+79990009999' }, token, { 'x-correlator': 'abc:123' });
    expect(refused.headers['x-correlator']).toBe('abc:123');
    const invalid = await call('check', { phoneNumber: '+79161110011' }, token, { 'x-correlator': 'has space' });
    expectError(invalid, 400, 'INVALID_ARGUMENT');
    expect(invalid.headers['x-correlator']).toBeUndefined();
  });
});

test('a swap at the counter is answered at once', async () => {
  const at = new Date(NOW.getTime() - 3_600_000);
  const walkIn = await counterWalkIn(database, '+79161110021', at);
  const token = await tokenFor(both);
  expect((await call('check', { phoneNumber: '+79161110021', maxAge: 2 }, token)).json()).toEqual({ swapped: false });
  await walkIn.handOver();
  expect((await call('check', { phoneNumber: '+79161110021', maxAge: 2 }, token)).json()).toEqual({ swapped: true });
  expect((await call('retrieve-date', { phoneNumber: '+79161110021' }, token)).json()).toEqual({
    latestSimChange: at.toISOString(),
  });
});

test('a check that starts after a swap commits answers swapped on another instance, whose index still holds an old change', async () => {
  const msisdn = '+79161110061';
  await database.raw.query(
    "insert into sim_changes (operator_id, msisdn, changed_at, source) values ($1, $2, '2025-01-01T00:00:00Z', 'import')",
    [volnaId, msisdn],
  );
  const other = await secondInstance(database);
  // On PostgreSQL its notifications come late, as under load: the index lags the commit by half a
  // second. PGlite serves one process and tells it before the commit returns.
  const lagging = {
    ...other,
    listen: (channel: string, listener: (payload: string | null) => void) =>
      other.listen(channel, (payload) => void setTimeout(() => listener(payload), 500)),
  };
  const second = await buildApp({
    config: testConfig,
    database: database.kind === 'postgres' ? lagging : other,
    logger: false,
    now: () => NOW,
  });
  try {
    await second.swapIndex.settled();
    expect(second.swapIndex.latestChange(volnaId, msisdn)?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    const token = await tokenFor(both);
    const at = new Date(NOW.getTime() - 600_000);
    const walkIn = await counterWalkIn(database, msisdn, at);
    await walkIn.handOver();
    // No waiting: the other instance's index has not heard of the swap yet.
    const checked = await call('check', { phoneNumber: msisdn, maxAge: 1 }, token, {}, second);
    const dated = await call('retrieve-date', { phoneNumber: msisdn }, token, {}, second);
    expect(checked.json()).toEqual({ swapped: true });
    expect(dated.json()).toEqual({ latestSimChange: at.toISOString() });
  } finally {
    await second.close();
    await other.close();
  }
});

test('each client has its calls per minute: RateLimit headers on every answer, then 429 TOO_MANY_REQUESTS', async () => {
  const limited = await createApiClient(database.db, {
    operatorId: volnaId,
    name: 'Small shop',
    scopes: ['sim-swap'],
    ratePerMinute: 3,
  });
  const token = await tokenFor(limited);
  const body = { phoneNumber: '+79161110011', maxAge: 24 };
  const first = await call('check', body, token);
  expect(first.headers['ratelimit-policy']).toBe('"per-client";q=3;w=60');
  expect(first.headers.ratelimit).toMatch(/^"per-client";r=2;t=\d+$/);
  await call('check', body, token);
  await call('retrieve-date', { phoneNumber: '+79161110011' }, token);
  const over = await call('check', body, token);
  expectError(over, 429, 'TOO_MANY_REQUESTS');
  expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  expect(over.headers.ratelimit).toMatch(/^"per-client";r=0;t=\d+$/);
  expect((await call('check', body, await tokenFor(both))).statusCode).toBe(200);
});

describe('POST /sim-swap/v2/retrieve-date', () => {
  test('the latest change with its time zone; the activation when never swapped; null with the monitored period', async () => {
    const token = await tokenFor(dateOnly);
    const latest = (await call('retrieve-date', { phoneNumber: '+79161110011' }, token)).json();
    expect(latest).toEqual({ latestSimChange: new Date(NOW.getTime() - 10 * 3_600_000).toISOString() });
    expect(latest.latestSimChange).toMatch(/Z$/);
    expect((await call('retrieve-date', { phoneNumber: '+79161110001' }, token)).json()).toEqual({
      latestSimChange: '2025-06-01T09:00:00.000Z',
    });
    expect((await call('retrieve-date', { phoneNumber: '+79990000001' }, token)).json()).toEqual({
      latestSimChange: '2026-01-01T06:00:00.000Z',
    });
    await setMonitoredDays(120);
    try {
      expect((await call('retrieve-date', { phoneNumber: '+79990000001' }, token)).json()).toEqual({
        latestSimChange: null,
        monitoredPeriod: 120,
      });
    } finally {
      await setMonitoredDays(null);
    }
    expectError(await call('retrieve-date', {}, token), 422, 'MISSING_IDENTIFIER');
    expect((await call('retrieve-date', { phoneNumber: '+79161110011' }, await tokenFor(both))).statusCode).toBe(200);
  });

  test('each call is counted per client and day for billing', async () => {
    const token = await tokenFor(dateOnly);
    await call('retrieve-date', { phoneNumber: '+79161110011' }, token);
    await app.apiUsage.flush();
    const [row] = await database.raw.query<{ calls: string }>(
      `select u.calls from api_usage u join api_clients c on c.id = u.client_id
        where c.client_id = $1 and u.endpoint = 'sim-swap/retrieve-date' and u.day = '2026-11-27'`,
      [dateOnly.clientId],
    );
    expect(Number(row?.calls)).toBeGreaterThanOrEqual(2);
  });
});
