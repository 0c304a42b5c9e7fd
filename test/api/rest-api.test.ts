import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { fingerprintOf } from '../../src/app/api/idempotency-keys.ts';
import type { Database } from '../../src/db/client.ts';
import { API_SCOPES } from '../../src/db/schema/api.ts';
import { routeScope } from '../../src/web/api/v1/api-v1.ts';
import { buildApp } from '../../src/web/app.ts';
import { askToken } from '../support/api-token.ts';
import { passportPhoto, submittedRequest } from '../support/requests.ts';
import { routesUnder } from '../support/routes.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/**
 * The REST API against the OpenAPI document it serves: every answer in this file is validated
 * against the document's schema for its path, method, status and media type, and every
 * operation in the document is called at least once.
 */
let database: Database;
let app: FastifyInstance;
let doc: {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};
let token: string;
let volnaId: string;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(formats as unknown as (ajv: Ajv2020) => void)(ajv);
const called = new Set<string>();

const template = (path: string) =>
  Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));

type Call = { method: InjectOptions['method']; url: string; body?: unknown; headers?: Record<string, string> };

/** Calls the API as the test's client and checks the answer against the served document. */
async function api({ method, url, body, headers = {} }: Call, bearer: string | null = token) {
  const res = await app.inject({
    method,
    url,
    headers: {
      host: 'localhost',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const path = template(new URL(url, 'http://x').pathname);
  expect(path, `${url} is not in the OpenAPI document`).toBeDefined();
  const lower = (method as string).toLowerCase();
  called.add(`${lower} ${path}`);
  const described = doc.paths[path as string]?.[lower]?.responses[String(res.statusCode)];
  expect(described, `${method} ${url} answered ${res.statusCode}, undocumented: ${res.body}`).toBeDefined();
  const media = (res.headers['content-type'] as string | undefined)?.split(';')[0];
  if (res.statusCode !== 204) {
    const pointer = `openapi#/paths/${(path as string).replaceAll('/', '~1')}/${lower}/responses/${res.statusCode}/content/${media?.replace('/', '~1')}/schema`;
    const validate = ajv.getSchema(pointer);
    expect(validate, `no schema for ${media} at ${pointer}`).toBeDefined();
    expect(
      validate?.(res.json()),
      `${method} ${url} ${res.statusCode} ${res.body}\n${ajv.errorsText(validate?.errors)}`,
    ).toBe(true);
  }
  return res;
}

async function tokenWith(scopes: string[]) {
  const client = await createApiClient(database.db, {
    operatorId: volnaId,
    name: `CRM ${scopes.join(' ')}`,
    scopes: scopes as never,
    ratePerMinute: 1000,
  });
  const res = await askToken(app, client);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token as string;
}

beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  const [volna] = await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`);
  volnaId = volna?.id ?? '';
  const served = await app.inject({ url: '/api/v1/openapi.json', headers: { host: 'localhost' } });
  doc = served.json();
  ajv.addSchema(doc as object, 'openapi');
  token = await tokenWith(API_SCOPES.filter((s) => !s.startsWith('sim-swap')));
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the OpenAPI document', () => {
  test('is a valid OpenAPI 3.1 document with every route of /api/v1', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(15);
  });

  test('browsable docs come from the pinned swagger-ui package, with nothing from a CDN', async () => {
    const page = await app.inject({ url: '/api/docs/', headers: { host: 'localhost' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\/[^"']*\.(js|css)/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).not.toContain('validator.swagger.io');
    const bundle = await app.inject({ url: '/api/docs/static/swagger-ui-bundle.js', headers: { host: 'localhost' } });
    expect(bundle.statusCode).toBe(200);
  });
});

describe('authentication, scopes and limits', () => {
  test('no token, a forged token and a missing scope are problems', async () => {
    const none = await api({ method: 'GET', url: '/api/v1/requests' }, null);
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ status: 401, type: expect.stringContaining('unauthenticated') });
    const forged = await api({ method: 'GET', url: '/api/v1/requests' }, `${token.slice(0, -4)}AAAA`);
    expect(forged.statusCode).toBe(401);
    const narrow = await tokenWith(['centers:read']);
    const denied = await api({ method: 'GET', url: '/api/v1/requests' }, narrow);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toContain('requests:read');
  });

  test('each client has its allowance: RateLimit headers, then 429 with Retry-After', async () => {
    const client = await createApiClient(database.db, {
      operatorId: volnaId,
      name: 'Small',
      scopes: ['centers:read'],
      ratePerMinute: 2,
    });
    const issued = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.secret}`,
    });
    const small = issued.json().access_token;
    const first = await api({ method: 'GET', url: '/api/v1/centers' }, small);
    expect(first.headers.ratelimit).toMatch(/r=1/);
    await api({ method: 'GET', url: '/api/v1/centers' }, small);
    const over = await api({ method: 'GET', url: '/api/v1/centers' }, small);
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    const others = await api({ method: 'GET', url: '/api/v1/centers' });
    expect(others.statusCode).toBe(200);
  });

  test("a client's CAMARA and REST calls count against one allowance", async () => {
    const both = await createApiClient(database.db, {
      operatorId: volnaId,
      name: 'Bank and CRM',
      scopes: ['sim-swap', 'centers:read'],
      ratePerMinute: 2,
    });
    const issued = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${both.clientId}&client_secret=${both.secret}`,
    });
    const bearer = issued.json().access_token;
    const check = await app.inject({
      method: 'POST',
      url: '/sim-swap/v2/check',
      headers: { host: 'localhost', authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ phoneNumber: '+79161110001' }),
    });
    expect(check.statusCode).toBe(200);
    expect((await api({ method: 'GET', url: '/api/v1/centers' }, bearer)).statusCode).toBe(200);
    expect((await api({ method: 'GET', url: '/api/v1/centers' }, bearer)).statusCode).toBe(429);
  });

  test('an unknown route under /api/v1 is a problem too', async () => {
    const res = await app.inject({ url: '/api/v1/nothing', headers: { host: 'localhost' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('a replacement request through the API', () => {
  const NEW = {
    phoneNumber: '+79161110041',
    reason: 'lost',
    simType: 'physical',
    delivery: 'courier',
    contact: { name: 'Екатерина Смирнова', phone: '+79161110041', email: 'ekaterina.s@example.ru' },
    deliveryAddress: { city: 'Москва', street: 'Тверская', building: '1' },
  };
  let requestId: string;

  test('bad fields are named one by one, translated, and nothing is created', async () => {
    const res = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: {
        ...NEW,
        contact: { ...NEW.contact, phone: '12' },
        deliveryAddress: { ...NEW.deliveryAddress, street: '' },
      },
      headers: { 'idempotency-key': 'bad-1', 'accept-language': 'ru' },
    });
    expect(res.statusCode).toBe(422);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/contact/phone', '/body/deliveryAddress/street']));
    expect(res.json().errors[0].detail).toMatch(/[а-я]/);
    const schema = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: { phoneNumber: 'x' },
      headers: { 'idempotency-key': 'bad-2' },
    });
    expect(schema.statusCode).toBe(400);
    expect(schema.json().errors.length).toBeGreaterThan(1);
    const list = await api({ method: 'GET', url: '/api/v1/requests?phoneNumber=%2B79161110041' });
    expect(list.json().items).toEqual([]);
  });

  test('a creating POST needs an Idempotency-Key; the same key and body give the same answer, another body 422', async () => {
    const missing = await api({ method: 'POST', url: '/api/v1/requests', body: NEW });
    expect(missing.statusCode).toBe(400);
    const first = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: NEW,
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(first.statusCode, first.body).toBe(201);
    requestId = first.json().id;
    expect(first.headers.location).toBe(`/api/v1/requests/${requestId}`);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json()).toMatchObject({ status: 'draft', phoneNumber: NEW.phoneNumber, delivery: 'courier' });
    const again = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: NEW,
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: { ...NEW, reason: 'damaged' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().type).toContain('idempotency-key-reused');
    await database.raw.query(
      `insert into api_idempotency_keys (operator_id, client_id, key, fingerprint)
       select operator_id, client_id, 'k-running', 'x' from api_idempotency_keys where key = 'k-1'`,
    );
    const running = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: NEW,
      headers: { 'idempotency-key': 'k-running' },
    });
    expect(running.statusCode).toBe(422);
    await database.raw.query(
      `update api_idempotency_keys set fingerprint = (select fingerprint from api_idempotency_keys where key = 'k-1') where key = 'k-running'`,
    );
    const busy = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: NEW,
      headers: { 'idempotency-key': 'k-running' },
    });
    expect(busy.statusCode).toBe(409);
    expect(busy.headers['retry-after']).toBe('1');
    const [{ n }] = (await database.raw.query(
      `select count(*)::int as n from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = $1`,
      [NEW.phoneNumber],
    )) as [{ n: number }];
    expect(n).toBe(1);
  });

  test('submitting before the document is refused; with it the request goes on with its fee', async () => {
    const early = await api({ method: 'POST', url: `/api/v1/requests/${requestId}/submit` });
    expect(early.statusCode).toBe(422);
    const notImage = await api({
      method: 'POST',
      url: `/api/v1/requests/${requestId}/documents`,
      body: {
        docType: 'passport_ru',
        docNumber: '4506 123456',
        contentBase64: Buffer.from('hello').toString('base64'),
      },
      headers: { 'idempotency-key': 'doc-0' },
    });
    expect(notImage.statusCode).toBe(422);
    expect(notImage.json().errors[0].pointer).toBe('/body/contentBase64');
    const doc = await api({
      method: 'POST',
      url: `/api/v1/requests/${requestId}/documents`,
      body: {
        docType: 'passport_ru',
        docNumber: '4506 123456',
        contentBase64: (await passportPhoto()).toString('base64'),
      },
      headers: { 'idempotency-key': 'doc-1' },
    });
    expect(doc.statusCode, doc.body).toBe(201);
    const submitted = await api({ method: 'POST', url: `/api/v1/requests/${requestId}/submit` });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('awaiting_payment');
    expect(submitted.json().fee.amountMinor).toBeGreaterThan(0);
    const twice = await api({ method: 'POST', url: `/api/v1/requests/${requestId}/submit` });
    expect(twice.statusCode).toBe(409);
  });

  test('the repeat of a submission cut off by a crash after it committed answers the submitted request', async () => {
    const { requestId: cutOff } = await submittedRequest(database, '+79161110051');
    const url = `/api/v1/requests/${cutOff}/submit`;
    // What the killed process left: its claim of the key, never answered, no longer renewed.
    await database.raw.query(
      `insert into api_idempotency_keys (operator_id, client_id, key, fingerprint, created_at)
         select operator_id, client_id, 'submit-cut-off', $1, now() - interval '1 minute' from api_idempotency_keys limit 1`,
      [fingerprintOf({ method: 'POST', path: url, body: undefined })],
    );
    const repeat = await api({ method: 'POST', url, headers: { 'idempotency-key': 'submit-cut-off' } });
    expect(repeat.statusCode, repeat.body).toBe(200);
    expect(repeat.json()).toMatchObject({ id: cutOff, status: 'awaiting_payment' });
    const replayed = await api({ method: 'POST', url, headers: { 'idempotency-key': 'submit-cut-off' } });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const fresh = await api({ method: 'POST', url, headers: { 'idempotency-key': 'submit-other' } });
    expect(fresh.statusCode).toBe(409);
  });

  test('a payment is started once per key, with the page the payer confirms on', async () => {
    const pay = { method: 'POST' as const, url: `/api/v1/requests/${requestId}/payments`, body: { method: 'card' } };
    const first = await api({ ...pay, headers: { 'idempotency-key': 'pay-1' } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'pending',
      method: 'card',
      checkoutUrl: expect.stringMatching(/^http/),
    });
    const again = await api({ ...pay, headers: { 'idempotency-key': 'pay-1' } });
    expect(again.json().id).toBe(first.json().id);
    const status = await api({ method: 'GET', url: `/api/v1/requests/${requestId}/status` });
    expect(status.json().payments).toHaveLength(1);
    expect(status.json().timeline.map((e: { toStatus: string }) => e.toStatus)).toContain('awaiting_payment');
  });

  test('reading, listing with a cursor, and cancelling', async () => {
    const one = await api({ method: 'GET', url: `/api/v1/requests/${requestId}` });
    expect(one.json().id).toBe(requestId);
    const unknown = await api({ method: 'GET', url: '/api/v1/requests/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    const malformed = await api({ method: 'GET', url: '/api/v1/requests/not-a-uuid' });
    expect(malformed.statusCode).toBe(400);
    const second = await api({
      method: 'POST',
      url: '/api/v1/requests',
      body: { ...NEW, phoneNumber: '+79161110042', contact: { ...NEW.contact, phone: '+79161110042' } },
      headers: { 'idempotency-key': 'k-2' },
    });
    expect(second.statusCode, second.body).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api({
        method: 'GET',
        url: `/api/v1/requests?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      });
      seen.push(...page.json().items.map((r: { id: string }) => r.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([requestId, second.json().id]));
    const bad = await api({ method: 'GET', url: '/api/v1/requests?cursor=bm9wZQ' });
    expect(bad.statusCode).toBe(400);
    const cancelled = await api({ method: 'POST', url: `/api/v1/requests/${requestId}/cancel` });
    expect(cancelled.json().status).toBe('cancelled');
    const [audit] = await database.raw.query<{ n: number }>(
      `select count(*)::int as n from audit_log where actor_kind = 'api_client' and target_id = $1`,
      [requestId],
    );
    expect(audit?.n).toBeGreaterThanOrEqual(3);
  });
});

describe('lines, centers, inventory, SIM changes and webhooks', () => {
  test('a line is blocked and unblocked, and its SIM-change lock set', async () => {
    const blocked = await api({ method: 'POST', url: '/api/v1/lines/+79161110021/block' });
    expect(blocked.json()).toEqual({ phoneNumber: '+79161110021', status: 'blocked', changed: true });
    const [line] = await database.raw.query<{ status: string }>(
      `select status from lines where msisdn = '+79161110021'`,
    );
    expect(line?.status).toBe('blocked');
    const again = await api({ method: 'POST', url: '/api/v1/lines/+79161110021/block' });
    expect(again.json().changed).toBe(false);
    const unblocked = await api({ method: 'POST', url: '/api/v1/lines/+79161110021/unblock' });
    expect(unblocked.json().status).toBe('active');
    const lock = await api({ method: 'PUT', url: '/api/v1/lines/+79161110021/sim-change-lock', body: { on: true } });
    expect(lock.json()).toEqual({ state: 'on', releaseAt: null });
    const release = await api({
      method: 'PUT',
      url: '/api/v1/lines/+79161110021/sim-change-lock',
      body: { on: false },
    });
    expect(release.json().state).toBe('releasing');
    const unknown = await api({ method: 'POST', url: '/api/v1/lines/+79990000000/block' });
    expect(unknown.statusCode).toBe(404);
  });

  test('centers with their slots', async () => {
    const centers = await api({ method: 'GET', url: '/api/v1/centers?latitude=55.75&longitude=37.62' });
    const first = centers.json().items[0];
    expect(first.distanceKm).not.toBeNull();
    const slots = await api({ method: 'GET', url: `/api/v1/centers/${first.code}/slots` });
    expect(slots.json().center.code).toBe(first.code);
    const none = await api({ method: 'GET', url: '/api/v1/centers/NOPE/slots' });
    expect(none.statusCode).toBe(404);

    const slot = slots
      .json()
      .days.flatMap((d: { slots: { startsAt: string; free: number }[] }) => d.slots)
      .find((s: { free: number }) => s.free > 0);
    const visit = {
      startsAt: slot.startsAt,
      name: 'Ли Вэй',
      phone: '+79161110011',
      locale: 'zh',
      phoneNumber: '+79161110011',
    };
    const url = `/api/v1/centers/${first.code}/visits`;
    const badPhone = await api({
      method: 'POST',
      url,
      body: { ...visit, phone: '12' },
      headers: { 'idempotency-key': 'v-0' },
    });
    expect(badPhone.statusCode).toBe(422);
    const notASlot = await api({
      method: 'POST',
      url,
      body: { ...visit, startsAt: '2020-01-01T10:00:00+03:00' },
      headers: { 'idempotency-key': 'v-0' },
    });
    expect(notASlot.statusCode).toBe(422);
    const booked = await api({ method: 'POST', url, body: visit, headers: { 'idempotency-key': 'v-1' } });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({
      centerCode: first.code,
      status: 'booked',
      startsAt: new Date(slot.startsAt).toISOString(),
    });
    const again = await api({ method: 'POST', url, body: visit, headers: { 'idempotency-key': 'v-1' } });
    expect(again.json().ticket).toBe(booked.json().ticket);
    const [sms] = await database.raw.query<{ n: number }>(
      `select count(*)::int n from outbox where topic = 'sms.send' and payload->>'to' = '+79161110011' and payload->>'text' like '%' || $1 || '%'`,
      [booked.json().ticket],
    );
    expect(sms?.n).toBe(1);
  });

  test('inventory counts and one SIM by ICCID', async () => {
    const stock = await api({ method: 'GET', url: '/api/v1/inventory' });
    expect(stock.json().items.length).toBeGreaterThan(0);
    const [sim] = await database.raw.query<{ iccid: string }>(
      `select iccid from sims where operator_id = $1 and status = 'in_stock' limit 1`,
      [volnaId],
    );
    const found = await api({ method: 'GET', url: `/api/v1/inventory/sims/${sim?.iccid}` });
    expect(found.json()).toMatchObject({ iccid: sim?.iccid, status: 'in_stock' });
    const missing = await api({ method: 'GET', url: '/api/v1/inventory/sims/8970100000000000000' });
    expect(missing.statusCode).toBe(404);
  });

  test('SIM changes of a number', async () => {
    await database.raw.query(
      `insert into sim_changes (operator_id, msisdn, changed_at, source) values ($1, '+79161110031', now() - interval '2 days', 'import'), ($1, '+79161110031', now() - interval '1 day', 'import')`,
      [volnaId],
    );
    const page = await api({ method: 'GET', url: '/api/v1/sim-changes?phoneNumber=%2B79161110031&limit=1' });
    expect(page.json().items).toHaveLength(1);
    const next = await api({
      method: 'GET',
      url: `/api/v1/sim-changes?phoneNumber=%2B79161110031&limit=1&cursor=${page.json().nextCursor}`,
    });
    expect(next.json().items[0].changedAt < page.json().items[0].changedAt).toBe(true);
  });

  test('webhook subscriptions: created once per key, listed, stopped', async () => {
    const bad = await api({
      method: 'POST',
      url: '/api/v1/webhooks',
      body: { url: 'http://example.com/hook', events: ['line.blocked'] },
      headers: { 'idempotency-key': 'wh-0' },
    });
    expect(bad.statusCode).toBe(422);
    const made = await api({
      method: 'POST',
      url: '/api/v1/webhooks',
      body: { url: 'https://crm.example.com/hook', events: ['line.blocked'] },
      headers: { 'idempotency-key': 'wh-1' },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().secret).toMatch(/^whsec_/);
    const kept = await database.raw.query<{ response: unknown }>(
      "select response from api_idempotency_keys where key = 'wh-1'",
    );
    expect(JSON.stringify(kept)).not.toContain(made.json().secret);
    const again = await api({
      method: 'POST',
      url: '/api/v1/webhooks',
      body: { url: 'https://crm.example.com/hook', events: ['line.blocked'] },
      headers: { 'idempotency-key': 'wh-1' },
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(made.json().id);
    expect(again.json().secret).toMatch(/^whsec_/);
    expect(again.json().secret).not.toBe(made.json().secret);
    const list = await api({ method: 'GET', url: '/api/v1/webhooks' });
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(made.json().id);
    const stopped = await api({ method: 'DELETE', url: `/api/v1/webhooks/${made.json().id}` });
    expect(stopped.statusCode).toBe(204);
    const gone = await api({ method: 'DELETE', url: `/api/v1/webhooks/${made.json().id}` });
    expect(gone.statusCode).toBe(404);
  });

  test('every operation in the document was called', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(documented.filter((o) => !called.has(o))).toEqual([]);
  });
});

describe('access', () => {
  test('every route of /api/v1 but its document needs one known scope: anonymous calls get 401, a route without a scope is refused', async () => {
    const routes = routesUnder(app, '/api/v1/').filter((r) => r.path !== '/api/v1/openapi.json');
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const route of routes) {
      const path = template(route.path);
      expect(path, `${route.method} ${route.path} is not in the OpenAPI document`).toBeDefined();
      const operation = doc.paths[path as string]?.[route.method.toLowerCase()] as unknown as {
        security?: { oauth2?: string[] }[];
      };
      const scopes = operation?.security?.flatMap((s) => s.oauth2 ?? []) ?? [];
      expect(scopes, `${route.method} ${route.path}`).toHaveLength(1);
      expect(API_SCOPES as readonly string[], `${route.method} ${route.path}`).toContain(scopes[0]);
      const res = await app.inject({ method: route.method, url: route.path, headers: { host: 'localhost' } });
      expect(res.statusCode, `${route.method} ${route.path} anonymously`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  test('a route that names no scope is refused, not public', () => {
    expect(routeScope({}, false)).toBe('closed');
    expect(routeScope({ scope: 'centers:read' }, false)).toBe('centers:read');
    expect(routeScope({ public: true }, false)).toBe('open');
    expect(routeScope({}, true)).toBe('open');
  });

  test('the scheme is case-insensitive (RFC 6750); a made-up scope is never issued, a repeated parameter is refused', async () => {
    const lower = await app.inject({
      url: '/api/v1/centers',
      headers: { host: 'localhost', authorization: `bearer ${token}` },
    });
    expect(lower.statusCode).toBe(200);
    const client = await createApiClient(database.db, {
      operatorId: volnaId,
      name: 'Bank asking too much',
      scopes: ['sim-swap'],
      ratePerMinute: 100,
    });
    const ask = (scope: string) => askToken(app, client, scope);
    const twice = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.secret}&scope=sim-swap&scope=sim-swap`,
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ error: 'invalid_request' });
    const madeUp = await ask('sim-swap:check:extra');
    expect(madeUp.statusCode).toBe(400);
    expect(madeUp.json()).toMatchObject({ error: 'invalid_scope' });
    expect((await ask('sim-swap:check')).statusCode).toBe(200);
  });
});
