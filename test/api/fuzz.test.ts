import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import type { Database } from '../../src/db/client.ts';
import { API_SCOPES } from '../../src/db/schema/api.ts';
import { buildApp } from '../../src/web/app.ts';
import { askToken } from '../support/api-token.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/**
 * Every API path answers in its documented error format, for every input: requests generated
 * from the served OpenAPI document (every operation, its path parameters) and from the CAMARA and
 * OAuth paths, with broken variants of everything a client sends (NUL bytes, broken UTF-8, huge
 * numbers, long and encoded strings, wrong media types, garbage bodies). No answer is a 5xx, and
 * each is RFC 9457 for /api/v1, CAMARA's ErrorInfo for CAMARA paths and RFC 6749's for /oauth.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);

let database: Database;
let app: FastifyInstance;
let token: string;
/** The fuzzer's own client, so token requests get past the credentials to what follows. */
let credentials: { clientId: string; secret: string };
let operations: { method: string; path: string }[];

beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  const [volna] = await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`);
  const client = await createApiClient(database.db, {
    operatorId: volna!.id,
    name: 'Fuzzer',
    scopes: [...API_SCOPES],
    ratePerMinute: 1_000_000,
  });
  credentials = client;
  const issued = await askToken(app, client);
  token = issued.json().access_token;
  const doc = (await app.inject({ url: '/api/v1/openapi.json', headers: { host: 'localhost' } })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  operations = [
    ...Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    ),
    { method: 'POST', path: '/sim-swap/v2/check' },
    { method: 'POST', path: '/sim-swap/v2/retrieve-date' },
    { method: 'POST', path: '/sim-swap-subscriptions/v0.3/subscriptions' },
    { method: 'GET', path: '/sim-swap-subscriptions/v0.3/subscriptions' },
    { method: 'GET', path: '/sim-swap-subscriptions/v0.3/subscriptions/{subscriptionId}' },
    { method: 'DELETE', path: '/sim-swap-subscriptions/v0.3/subscriptions/{subscriptionId}' },
    { method: 'POST', path: '/oauth/token' },
    { method: 'GET', path: '/oauth/token' },
    { method: 'GET', path: '/sim-swap/v2/no-such-path' },
  ];
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Lone surrogates replaced, so the test's own encoder can percent-encode any generated text. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Text a client might send: ordinary, empty, huge, NUL and control bytes, lone surrogates, lookalikes. */
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', '%00', '%ff', '../..', '+79161110001', 'MSK-TVER', '1e308', '-1'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 200, maxLength: 600 }),
  fc.uuid(),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, 0.5, -0, Number.MAX_SAFE_INTEGER),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('phoneNumber', 'maxAge', 'config', 'sink', 'types')),
      tie('value'),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;
/** A body shaped like the API's, with any of its values broken. */
const likely = fc.record(
  {
    phoneNumber: nasty,
    maxAge: fc.oneof(fc.integer(), fc.constant(1e308), nasty),
    reason: nasty,
    simType: nasty,
    delivery: nasty,
    url: nasty,
    events: fc.array(nasty, { maxLength: 3 }),
    sink: nasty,
    protocol: fc.constantFrom('HTTP', 'MQTT', '', '\u0000'),
    types: fc.array(nasty, { maxLength: 2 }),
    config: fc.record(
      {
        subscriptionDetail: fc.record({ phoneNumber: nasty }, { requiredKeys: [] }),
        subscriptionMaxEvents: fc.oneof(fc.integer(), fc.constant(1e308), fc.double()),
        subscriptionExpireTime: nasty,
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  likely.map((v) => ({ type: 'application/json', payload: JSON.stringify(v) })),
  jsonValue.map((v) => ({ type: 'application/json', payload: JSON.stringify(v) ?? 'null' })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ type: 'application/json', payload: Buffer.from(bytes) })),
  fc.constantFrom('{"phoneNumber":', '{"a":"\\u0000"}', '[', '{"x":"\xff\xfe"}').map((p) => ({
    type: 'application/json',
    payload: p,
  })),
  nasty.map((p) => ({
    type: fc.sample(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        '',
      ),
      1,
    )[0]!,
    payload: p,
  })),
  fc.constant(null),
);
const pathValue = fc.oneof(
  fc.uuid(),
  nasty.map((s) => encodeURIComponent(wellFormed(s))),
  fc.constantFrom('%00', 'MSK%00TVER', '%ff%fe', 'a'.repeat(300), '..%2F..', '%2e%2e'),
);
const request = fc.record({
  operation: fc.nat(),
  params: fc.array(pathValue, { minLength: 4, maxLength: 4 }),
  query: fc.option(
    fc.dictionary(fc.constantFrom('limit', 'cursor', 'from', 'to', 'status', 'phoneNumber', 'x'), nasty, {
      maxKeys: 3,
    }),
  ),
  body,
  auth: fc.constantFrom('token', 'token', 'token', 'lower', 'none', 'garbage'),
  /** For /oauth/token: the real client's credentials with other parameters, some repeated. */
  tokenForm: fc.array(fc.tuple(fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'x'), nasty), {
    maxLength: 4,
  }),
  correlator: fc.option(nasty),
});

type Shape = 'problem' | 'camara' | 'oauth';
const shapeOf = (path: string): Shape =>
  path.startsWith('/api/v1/') ? 'problem' : path.startsWith('/oauth/') ? 'oauth' : 'camara';

function wellShaped(shape: Shape, status: number, contentType: string, text: string): string | null {
  if (status === 204 && text === '') return null;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    return `not JSON (${contentType}): ${text.slice(0, 80)}`;
  }
  if (status < 400) return contentType.includes('json') ? null : `2xx as ${contentType}`;
  if (shape === 'problem')
    return contentType.startsWith('application/problem+json') && json.status === status && typeof json.type === 'string'
      ? null
      : `not an RFC 9457 problem: ${text.slice(0, 120)}`;
  if (shape === 'camara')
    return json.status === status && typeof json.code === 'string' && typeof json.message === 'string'
      ? null
      : `not a CAMARA ErrorInfo: ${text.slice(0, 120)}`;
  return typeof json.error === 'string' ? null : `not an RFC 6749 error: ${text.slice(0, 120)}`;
}

test(`the APIs answer ${RUNS} generated and broken requests without a 5xx, each in its documented shape`, async () => {
  const seen = { requests: 0, byStatus: new Map<number, number>() };
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const operation = operations[r.operation % operations.length]!;
      let i = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => r.params[i++] ?? 'x');
      const query = r.query
        ? `?${Object.entries(r.query)
            .map(([k, v]) => `${k}=${encodeURIComponent(wellFormed(v))}`)
            .join('&')}`
        : '';
      const headers: Record<string, string> = { host: 'localhost' };
      if (r.auth === 'token') headers.authorization = `Bearer ${token}`;
      if (r.auth === 'lower') headers.authorization = `bearer ${token}`;
      if (r.auth === 'garbage') headers.authorization = 'Bearer \u00ff\u00fe';
      if (r.correlator !== null) headers['x-correlator'] = r.correlator.replace(/[^\x20-\x7e]/g, '');
      const form =
        path === '/oauth/token' && operation.method === 'POST' && r.auth === 'token'
          ? {
              type: 'application/x-www-form-urlencoded',
              payload: new URLSearchParams([
                ['grant_type', 'client_credentials'],
                ['client_id', credentials.clientId],
                ['client_secret', credentials.secret],
                ...r.tokenForm.map(([k, v]) => [k, wellFormed(v)]),
              ]).toString(),
            }
          : r.body;
      const withBody = form && operation.method !== 'GET' && operation.method !== 'DELETE';
      if (withBody && form?.type) headers['content-type'] = form.type;
      const res = await app.inject({
        method: operation.method as InjectOptions['method'],
        url: `${path}${query}`,
        headers,
        ...(withBody ? { payload: form?.payload } : {}),
      });
      seen.requests++;
      seen.byStatus.set(res.statusCode, (seen.byStatus.get(res.statusCode) ?? 0) + 1);
      const shape = shapeOf(path);
      const problem =
        res.statusCode >= 500
          ? `${res.statusCode}: ${res.body.slice(0, 120)}`
          : wellShaped(shape, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
      if (problem) problems.push(`${operation.method} ${path.slice(0, 80)}${query.slice(0, 40)} → ${problem}`);
    }),
    { numRuns: RUNS },
  );
  const statuses = [...seen.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  console.log(
    `API fuzz: ${seen.requests} requests, ${problems.length} outside the documented shapes or 5xx; ${statuses.join(' ')}`,
  );
  expect([...new Set(problems)].slice(0, 20)).toEqual([]);
}, 600_000);
