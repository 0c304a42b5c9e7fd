import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serviceMetrics } from '../../src/app/metrics/service-metrics.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { WebClient } from '../support/web-client.ts';

/** Prometheus reads /metrics after real traffic: the counters and gauges moved, and only with the token. */
const token = 'm'.repeat(40);
let database: Database;
let app: FastifyInstance;
let metrics: ReturnType<typeof serviceMetrics>;
beforeAll(async () => {
  database = await seededDatabase();
  metrics = serviceMetrics(database);
  const config = { ...testConfig, metricsToken: token };
  app = await buildApp({ config, database, metrics, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const scrape = async () => {
  const answer = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
  expect(answer.statusCode).toBe(200);
  return answer.body;
};
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
};

test('latency by route pattern, the outbox by lane, requests by status, sign-in failures and provisioning calls', async () => {
  await submittedRequest(database, '+79161110011', { reason: 'not_working' });
  for (let i = 0; i < 3; i++)
    await app.inject({ url: '/centers', headers: { host: 'localhost', accept: 'text/html' } });
  await app.inject({ url: '/requests/00000000-0000-4000-8000-000000000000', headers: { host: 'localhost' } });
  await new WebClient(app, { host: 'localhost' }).submit('/login', '/login', {
    phone: '+79161110001',
    password: 'wrong',
  });
  await database.raw.query(
    `insert into outbox (operator_id, topic, payload, idempotency_key, created_at)
       select id, 'line.suspend', '{"msisdn":"+79161110001"}', 'metrics-test', now() - interval '90 seconds'
       from operators where slug = 'volna'`,
  );
  const counting = metrics.counting({
    suspendLine: async () => {},
    resumeLine: async () => {
      throw new Error('HLR down');
    },
    swapSim: async () => {},
  });
  await counting.suspendLine({ msisdn: '+79161110001', idempotencyKey: 'k1' });
  await expect(counting.resumeLine({ msisdn: '+79161110001', idempotencyKey: 'k2' })).rejects.toThrow('HLR down');

  const text = await scrape();
  expect(
    value(text, 'simdesk_http_request_duration_seconds_count{method="GET",route="/centers",status_code="200"}'),
  ).toBe(3);
  expect(text).toContain('route="/requests/:requestId"');
  expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
  expect(value(text, 'simdesk_outbox_pending{lane="network"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'simdesk_outbox_oldest_pending_seconds{lane="network"}')).toBeGreaterThanOrEqual(89);
  expect(value(text, 'simdesk_outbox_dead{lane="partners"}')).toBe(0);
  expect(value(text, 'simdesk_replacement_requests{operator="volna",status="in_review"}')).toBe(1);
  expect(value(text, 'simdesk_sign_in_failures_5m{subject="subscriber"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'simdesk_provisioning_calls_total{operation="suspend",outcome="done"}')).toBe(1);
  expect(value(text, 'simdesk_provisioning_calls_total{operation="resume",outcome="failed"}')).toBe(1);
});

test('without the token, or with none configured, there are no metrics', async () => {
  expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
  expect(
    (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${'x'.repeat(40)}` } })).statusCode,
  ).toBe(401);
  const plain = await buildApp({ config: { ...testConfig, metricsToken: undefined }, database, logger: false });
  try {
    expect((await plain.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      404,
    );
  } finally {
    await plain.close();
  }
});
