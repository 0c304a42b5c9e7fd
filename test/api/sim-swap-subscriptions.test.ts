import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { accessTokens } from '../../src/app/api/access-tokens.ts';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { endLapsedSubscriptions } from '../../src/app/sim-swap/swap-subscriptions.ts';
import type { Database } from '../../src/db/client.ts';
import { camaraHandlers } from '../../src/jobs/camara-handlers.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { buildApp } from '../../src/web/app.ts';
import { counterWalkIn } from '../support/counter-swap.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/**
 * CAMARA SIM Swap Subscriptions 0.3.0 as `sim-swap-subscriptions.yaml` says: each answer is
 * validated against the schema the specification gives for its status, and the CloudEvents a
 * real sink receives against its CloudEvent schema. The sink is plain HTTP on this machine, which
 * simdesk accepts for a system under test (any other sink must be https://); answers are checked
 * with that one address written as https.
 */
const spec = parse(readFileSync(new URL('../../specs/camara/sim-swap-subscriptions.yaml', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
(formats as unknown as (ajv: Ajv) => void)(ajv);
const refs = (schema: unknown) =>
  JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"camara#/definitions/'));
ajv.addSchema({ $id: 'camara', definitions: refs(spec.components.schemas) });
const responseSchema = (path: string, method: string, status: number) => {
  const response = spec.paths[path][method].responses[String(status)];
  const resolved = response.$ref ? spec.components.responses[response.$ref.split('/').pop()] : response;
  return resolved.content ? refs(resolved.content['application/json'].schema) : null;
};

const SWAPPED = 'org.camaraproject.sim-swap-subscriptions.v0.swapped';
const BASE = '/sim-swap-subscriptions/v0.3/subscriptions';
const CREATE = `sim-swap-subscriptions:${SWAPPED}:create`;
const tokens = accessTokens(testConfig.sessionSecret);
let database: Database;
let app: FastifyInstance;
let volnaId: string;
let bank: string;
let sink: Server;
let sinkUrl: string;
let sinkDown = false;
let gone = false;
const received: { body: Record<string, unknown>; type: string; authorization: string | undefined }[] = [];

async function tokenOf(scopes: string[], phoneNumber?: string, clientName = 'Bank') {
  const [client] = await database.raw.query<{ id: string }>('select id from api_clients where name = $1', [clientName]);
  return (
    await tokens.issue({
      clientId: client?.id ?? '',
      operatorId: volnaId,
      scopes,
      ratePerMinute: 1000,
      ...(phoneNumber ? { phoneNumber } : {}),
    })
  ).token;
}

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  token: string | null,
  body?: unknown,
  headers = {},
) {
  const res = await app.inject({
    method,
    url: `${BASE}${path}`,
    headers: {
      host: 'localhost',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const schema = responseSchema(
    path ? '/subscriptions/{subscriptionId}' : '/subscriptions',
    method.toLowerCase(),
    res.statusCode,
  );
  if (schema) {
    const validate = ajv.compile(schema);
    const answer = JSON.parse(res.body.replaceAll(`"${sinkUrl}"`, `"${sinkUrl.replace('http:', 'https:')}"`));
    expect(validate(answer), `${res.statusCode} ${res.body} ${ajv.errorsText(validate.errors)}`).toBe(true);
  } else expect(res.statusCode).toBe(204);
  return res;
}

const expectError = (res: { statusCode: number; json(): unknown }, status: number, code: string) => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ status, code });
};

const ask = (overrides: Record<string, unknown> = {}, config: Record<string, unknown> = {}) => ({
  protocol: 'HTTP',
  sink: sinkUrl,
  types: [SWAPPED],
  sinkCredential: {
    credentialType: 'ACCESSTOKEN',
    accessToken: 'sink-token-1',
    accessTokenExpiresUtc: new Date(Date.now() + 86_400_000).toISOString(),
    accessTokenType: 'bearer',
  },
  config: { subscriptionDetail: { phoneNumber: '+79161110031' }, ...config },
  ...overrides,
});

beforeAll(async () => {
  sink = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (gone) return void response.writeHead(410).end();
      if (sinkDown) return void response.writeHead(503).end();
      received.push({
        body: JSON.parse(body),
        type: String(request.headers['content-type']),
        authorization: request.headers.authorization,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/camara`;
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  const [volna] = await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`);
  volnaId = volna?.id ?? '';
  await createApiClient(database.db, { operatorId: volnaId, name: 'Bank', scopes: [CREATE as never] });
  await createApiClient(database.db, { operatorId: volnaId, name: 'Other bank', scopes: [CREATE as never] });
  bank = await tokenOf([CREATE, 'sim-swap-subscriptions:read', 'sim-swap-subscriptions:delete']);
});
afterAll(async () => {
  await app.close();
  await database.close();
  sink.close();
});

const worker = () =>
  outboxWorker({ db: database.db, handlers: camaraHandlers(database.db, testConfig.documentKey, testConfig.partners) });
const retryNow = () =>
  database.raw.query("update outbox set next_attempt_at = now() - interval '1 second' where topic = 'camara.notify'");

describe('creating a subscription', () => {
  test('a two-legged token names the number; the answer repeats it, ACTIVE, with x-correlator', async () => {
    const res = await call('POST', '', bank, ask({}, { subscriptionMaxEvents: 5 }), { 'x-correlator': 'c-1' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-correlator']).toBe('c-1');
    expect(res.json()).toMatchObject({
      protocol: 'HTTP',
      sink: sinkUrl,
      types: [SWAPPED],
      status: 'ACTIVE',
      config: { subscriptionDetail: { phoneNumber: '+79161110031' }, subscriptionMaxEvents: 5 },
    });
    expect(res.json()).not.toHaveProperty('sinkCredential');
  });

  test('a three-legged token carries the number, which the request and answers must not repeat', async () => {
    const consented = await tokenOf([CREATE, 'sim-swap-subscriptions:read'], '+79161110031');
    expectError(await call('POST', '', consented, ask()), 422, 'UNNECESSARY_IDENTIFIER');
    const res = await call('POST', '', consented, ask({}, { subscriptionDetail: {} }));
    expect(res.statusCode).toBe(201);
    expect(res.json().config.subscriptionDetail).toEqual({});
    const listed = await call('GET', '', consented);
    expect(listed.json().map((s: { id: string }) => s.id)).toContain(res.json().id);
    expect(
      listed
        .json()
        .every((s: { config: { subscriptionDetail: object } }) => !('phoneNumber' in s.config.subscriptionDetail)),
    ).toBe(true);
  });

  test('each fault gets the status, code and message the specification lists', async () => {
    expectError(await call('POST', '', bank, ask({}, { subscriptionDetail: {} })), 422, 'MISSING_IDENTIFIER');
    expectError(
      await call('POST', '', bank, ask({}, { subscriptionDetail: { phoneNumber: '+79990000000' } })),
      422,
      'SERVICE_NOT_APPLICABLE',
    );
    const protocol = await call('POST', '', bank, ask({ protocol: 'MQTT3' }));
    expect(protocol.json()).toEqual({ status: 400, code: 'INVALID_PROTOCOL', message: 'Only HTTP is supported' });
    expectError(await call('POST', '', bank, ask({ protocol: 'SMTP' })), 400, 'INVALID_ARGUMENT');
    const plain = { credentialType: 'PLAIN', identifier: 'a', secret: 'b' };
    expect((await call('POST', '', bank, ask({ sinkCredential: plain }))).json().code).toBe('INVALID_CREDENTIAL');
    const mac = { ...ask().sinkCredential, accessTokenType: 'mac' };
    expect((await call('POST', '', bank, ask({ sinkCredential: mac }))).json().code).toBe('INVALID_TOKEN');
    expectError(await call('POST', '', bank, ask({ sink: 'http://example.com/sink' })), 400, 'INVALID_SINK');
    expectError(await call('POST', '', bank, ask({ types: ['something.else'] })), 400, 'INVALID_ARGUMENT');
    expectError(await call('POST', '', bank, ask({}, { subscriptionMaxEvents: 0 })), 400, 'INVALID_ARGUMENT');
    expectError(
      await call('POST', '', bank, ask({}, { subscriptionExpireTime: '2020-01-01T00:00:00Z' })),
      400,
      'OUT_OF_RANGE',
    );
    expectError(await call('POST', '', bank, '[1'), 400, 'INVALID_ARGUMENT');
    expectError(await call('POST', '', null, ask()), 401, 'UNAUTHENTICATED');
    expectError(await call('POST', '', `${bank}x`, ask()), 401, 'UNAUTHENTICATED');
    expectError(
      await call('POST', '', await tokenOf(['sim-swap-subscriptions:read']), ask()),
      403,
      'PERMISSION_DENIED',
    );
    expectError(await call('POST', '', bank, ask(), { 'x-correlator': 'not valid' }), 400, 'INVALID_ARGUMENT');
  });
});

describe('reading and deleting', () => {
  test('a client sees its own subscriptions only; deleting one ends it and tells the sink', async () => {
    const created = (await call('POST', '', bank, ask())).json();
    expect((await call('GET', `/${created.id}`, bank)).json().id).toBe(created.id);
    const other = await tokenOf(
      [CREATE, 'sim-swap-subscriptions:read', 'sim-swap-subscriptions:delete'],
      undefined,
      'Other bank',
    );
    expectError(await call('GET', `/${created.id}`, other), 404, 'NOT_FOUND');
    expectError(await call('DELETE', `/${created.id}`, other), 404, 'NOT_FOUND');
    expectError(await call('GET', '/qs15-h556', bank), 404, 'NOT_FOUND');
    expectError(
      await call('DELETE', `/${created.id}`, await tokenOf(['sim-swap-subscriptions:read'])),
      403,
      'PERMISSION_DENIED',
    );
    received.length = 0;
    expect((await call('DELETE', `/${created.id}`, bank)).statusCode).toBe(204);
    expectError(await call('GET', `/${created.id}`, bank), 404, 'NOT_FOUND');
    await worker().drain();
    const ended = received.find(
      (e) => e.body.type === 'org.camaraproject.sim-swap-subscriptions.v0.subscription-ended',
    );
    expect(ended?.body.data).toMatchObject({ subscriptionId: created.id, terminationReason: 'SUBSCRIPTION_DELETED' });
  });
});

describe('notifications', () => {
  test('a swap at the counter is posted to every running subscription as a CloudEvent, with the sink token, retried while the sink is down', async () => {
    await database.raw.query("update camara_subscriptions set status = 'DELETED' where status = 'ACTIVE'");
    const once = (await call('POST', '', bank, ask({}, { subscriptionMaxEvents: 1 }))).json();
    const open = (await call('POST', '', bank, ask())).json();
    received.length = 0;
    sinkDown = true;
    const walkIn = await counterWalkIn(database, '+79161110031');
    await walkIn.handOver();
    const jobs = worker();
    await jobs.drain();
    expect(received).toEqual([]);
    sinkDown = false;
    await retryNow();
    await jobs.drain();
    await jobs.stop();
    const validate = ajv.compile({ $ref: 'camara#/definitions/CloudEvent' });
    for (const event of received) {
      expect(validate(event.body), ajv.errorsText(validate.errors)).toBe(true);
      expect(event.type).toBe('application/cloudevents+json');
      expect(event.authorization).toBe('Bearer sink-token-1');
    }
    const swapped = received.filter((e) => e.body.type === SWAPPED);
    expect(swapped.map((e) => (e.body.data as { subscriptionId: string }).subscriptionId).sort()).toEqual(
      [once.id, open.id].sort(),
    );
    expect(swapped[0]?.body.data).toMatchObject({ phoneNumber: '+79161110031' });
    const ended = received.filter((e) => e.body.type !== SWAPPED);
    expect(ended.map((e) => e.body.data)).toEqual([
      expect.objectContaining({ subscriptionId: once.id, terminationReason: 'MAX_EVENTS_REACHED' }),
    ]);
    expect((await call('GET', `/${once.id}`, bank)).json().status).toBe('EXPIRED');
    expect((await call('GET', `/${open.id}`, bank)).json().status).toBe('ACTIVE');
  });

  test('a subscription ends at its expire time, and when its sink token expires; a sink that is gone stops it', async () => {
    await database.raw.query("update camara_subscriptions set status = 'DELETED' where status = 'ACTIVE'");
    const soon = new Date(Date.now() + 60_000).toISOString();
    const expiring = (await call('POST', '', bank, ask({}, { subscriptionExpireTime: soon }))).json();
    expect(expiring.expiresAt).toBe(soon);
    const shortToken = { ...ask().sinkCredential, accessTokenExpiresUtc: new Date(Date.now() + 120_000).toISOString() };
    const tokenBound = (await call('POST', '', bank, ask({ sinkCredential: shortToken }))).json();
    received.length = 0;
    expect(await endLapsedSubscriptions(database.db, new Date(Date.now() + 90_000))).toBe(1);
    await worker().drain();
    expect(received.map((e) => e.body.data)).toEqual([
      expect.objectContaining({ subscriptionId: expiring.id, terminationReason: 'SUBSCRIPTION_EXPIRED' }),
    ]);
    expect(await endLapsedSubscriptions(database.db, new Date(Date.now() + 150_000))).toBe(1);
    expect((await call('GET', `/${tokenBound.id}`, bank)).json().status).toBe('EXPIRED');

    const leaving = (await call('POST', '', bank, ask())).json();
    gone = true;
    const walkIn = await counterWalkIn(database, '+79161110031');
    await walkIn.handOver();
    await worker().drain();
    gone = false;
    expect((await call('GET', `/${leaving.id}`, bank)).json().status).toBe('EXPIRED');
    const [job] = await database.raw.query<{ status: string }>(
      "select status from outbox where topic = 'camara.notify' order by created_at desc limit 1",
    );
    expect(job?.status).toBe('sent');
  });
});
