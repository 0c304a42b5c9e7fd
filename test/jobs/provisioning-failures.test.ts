import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { buildApp } from '../../src/web/app.ts';
import { counterWalkIn } from '../support/counter-swap.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, staffClient } from '../support/web-client.ts';

/**
 * A SIM swap while the network's provisioning system is down, then answering too late: simdesk
 * never leaves the line half-swapped (one active SIM, the change pending until the network
 * confirms it), retries converge on one application of the change, and a job given up is shown
 * to staff and sent again.
 */
const MSISDN = '+79161110041';
const PENDING = 'Your number is being moved to the new SIM in the network';
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

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  database.raw.query<T>(text, params);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

test('an outage, a dead job sent again by staff, and a lost answer end in one swap, confirmed once', async () => {
  const network = new ProvisioningSimulator({ failureRate: 1 });
  const errors: string[] = [];
  const worker = outboxWorker({
    db: database.db,
    handlers: provisioningHandlers(database.db, network),
    maxAttempts: 3,
    onError: (error, message) => message?.topic === 'line.swap_sim' && errors.push((error as Error).message),
  });
  const walkIn = await counterWalkIn(database, MSISDN);
  await walkIn.handOver();
  const [swap] = await sql<{ id: number; idempotency_key: string }>(
    "select id, idempotency_key from outbox where topic = 'line.swap_sim' and payload->>'msisdn' = $1",
    [MSISDN],
  );
  const [request] = await sql<{ id: string }>(
    `select r.id from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = $1 and r.status = 'activated'`,
    [MSISDN],
  );
  const activeSims = () =>
    sql<{ iccid: string }>(
      "select s.iccid from sims s join lines l on l.id = s.line_id where l.msisdn = $1 and s.status = 'active'",
      [MSISDN],
    );
  const [newSim] = await activeSims();

  for (const minutes of [0, 60, 600]) await worker.deliverDue(later(minutes));
  const [dead] = await sql<{ status: string; attempts: number }>('select status, attempts from outbox where id = $1', [
    swap?.id,
  ]);
  expect(dead).toEqual({ status: 'dead', attempts: 3 });
  expect(errors).toHaveLength(3);
  expect(errors.every((e) => e.includes('simulated HLR timeout'))).toBe(true);
  expect(network.lines.has(MSISDN)).toBe(false);
  expect(await activeSims()).toEqual([newSim]);
  const subscriber = await signedInClient(app, MSISDN, 'en');
  expect((await subscriber.get(`/requests/${request?.id}`)).body).toContain(PENDING);

  const admin = await staffClient(app, database, 'admin@volna.example');
  const page = (await admin.get('/staff/network')).body;
  expect(page).toContain('Given up after the last retry');
  expect(page).toContain('simulated HLR timeout');
  expect((await admin.post(`/staff/network/${swap?.id}/retry`)).headers.location).toBe('/staff/network?done=retried');

  network.configure({ failureRate: 0, timeoutRate: 1, timeoutMs: 20 });
  await worker.deliverDue(later(601));
  expect(network.applied.filter((a) => a.idempotencyKey === swap?.idempotency_key)).toHaveLength(1);
  expect((await subscriber.get(`/requests/${request?.id}`)).body).toContain(PENDING);
  const [retrying] = await sql<{ status: string }>('select status from outbox where id = $1', [swap?.id]);
  expect(retrying?.status).toBe('pending');

  network.configure({ timeoutRate: 0 });
  await worker.deliverDue(later(700));
  const [sent] = await sql<{ status: string }>('select status from outbox where id = $1', [swap?.id]);
  expect(sent?.status).toBe('sent');
  expect(network.applied.filter((a) => a.idempotencyKey === swap?.idempotency_key)).toHaveLength(1);
  expect(network.lines.get(MSISDN)).toMatchObject({ iccid: newSim?.iccid, status: 'active' });
  const status = (await subscriber.get(`/requests/${request?.id}`)).body;
  expect(status).not.toContain(PENDING);
  expect(status).toContain('The network moved your number to the new SIM');
  expect(
    await sql("select 1 from request_events where request_id = $1 and type = 'network_confirmed'", [request?.id]),
  ).toHaveLength(1);
  expect(await activeSims()).toEqual([newSim]);
  await worker.stop();
});
