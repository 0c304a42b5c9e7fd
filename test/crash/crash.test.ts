import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { verifyAuditLog } from '../../src/app/audit/audit-log.ts';
import type { Database } from '../../src/db/client.ts';
import { appProcess } from '../support/app-process.ts';
import { cliDatabase } from '../support/db.ts';
import { passportPhoto } from '../support/requests.ts';
import { testAuditAnchor, testConfig } from '../support/test-config.ts';
import { acknowledged, type Ledger, mixedLoad } from './load.ts';
import { startNetworkEndpoint } from './network-endpoint.ts';

/**
 * The crash suite: `simdesk serve` as a real process under a mixed load, killed with SIGKILL at
 * random moments and started again on the same database (PostgreSQL, or PGlite's data
 * directory), then the database is read for what must hold: every acknowledged action present,
 * no charge taken twice, no SIM given twice, every line's network state equal to simdesk's, and
 * the audit chain intact.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 10);
const engine = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
const REQUEST_LINES = ['+79161110001', '+79161110011', '+79161110021', '+79161110041', '+79161110051'];
const BLOCK_LINES = ['+79161110031', '+79161110061', '+79161110071', '+79161110081'];
const secret = 'n'.repeat(40);

let target: Awaited<ReturnType<typeof cliDatabase>>;
let network: Awaited<ReturnType<typeof startNetworkEndpoint>>;
let dir: string;
let client: { clientId: string; secret: string };

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdesk-crash-'));
  target = await cliDatabase('seeded');
  network = await startNetworkEndpoint(secret);
  const database = await target.open();
  const [volna] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  client = await createApiClient(database.db, {
    operatorId: volna?.id ?? '',
    name: 'Crash suite',
    scopes: ['requests:read', 'requests:write', 'lines:write', 'centers:read'],
  });
  await database.close();
});
afterAll(async () => {
  await network?.close();
  await target?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function invariants(database: Database, ledger: Ledger) {
  const q = <T>(text: string, params: unknown[] = []) => database.raw.query<T & Record<string, unknown>>(text, params);
  const lost: string[] = [];
  const requests = new Map(
    (
      await q<{ id: string; status: string }>('select id, status from replacement_requests where id = any($1)', [
        [...ledger.submitted, ...ledger.approved],
      ])
    ).map((r) => [r.id, r.status]),
  );
  for (const id of ledger.submitted) if (!requests.has(id) || requests.get(id) === 'draft') lost.push(`request ${id}`);
  for (const id of ledger.cancelled) if (requests.get(id) !== 'cancelled') lost.push(`cancellation of ${id}`);
  const approvals = await q<{ request_id: string }>(
    `select distinct e.request_id from request_events e join staff_users s on s.id::text = e.actor_id
      where s.email = 'reviewer@volna.example' and e.request_id = any($1)`,
    [[...ledger.approved]],
  );
  const approved = new Set(approvals.map((a) => a.request_id));
  for (const id of ledger.approved) if (!approved.has(id)) lost.push(`approval of ${id}`);
  const visits = new Set(
    (await q<{ id: string }>('select id from appointments where id = any($1)', [[...ledger.visits]])).map((v) => v.id),
  );
  for (const id of ledger.visits) if (!visits.has(id)) lost.push(`visit ${id}`);
  const payments = new Map(
    (
      await q<{ id: string; status: string }>('select id, status from payments where id = any($1)', [
        [...ledger.captured.values()],
      ])
    ).map((p) => [p.id, p.status]),
  );
  for (const [request, payment] of ledger.captured)
    if (!['succeeded', 'refunded'].includes(payments.get(payment) ?? '')) lost.push(`charge ${payment} of ${request}`);
  const states = new Map(
    (
      await q<{ msisdn: string; status: string }>('select msisdn, status from lines where msisdn = any($1)', [
        [...REQUEST_LINES, ...BLOCK_LINES],
      ])
    ).map((l) => [l.msisdn, l.status]),
  );
  for (const [msisdn, state] of ledger.lines) if (states.get(msisdn) !== state) lost.push(`${state} of ${msisdn}`);

  const duplicateCharges = await q<{ request_id: string; n: number }>(
    `select request_id, count(*)::int as n from payments where status in ('succeeded', 'refunded') and request_id = any($1)
      group by request_id having count(*) > 1`,
    [[...ledger.submitted]],
  );
  const gatewayTwice = await q<{ n: number }>(
    `select count(*)::int as n from (select idempotency_key from sandbox_payments group by idempotency_key having count(*) > 1) t`,
  );
  const simTwice = await q<{ sim_id: string }>(
    `select sim_id from replacement_requests where sim_id is not null and status <> 'cancelled' group by sim_id having count(*) > 1`,
  );
  const twoActive = await q<{ line_id: string }>(
    `select line_id from sims where status = 'active' and line_id is not null group by line_id having count(*) > 1`,
  );
  const undelivered = await q<{ topic: string; status: string; attempts: number; last_error: string | null }>(
    `select topic, status, attempts, last_error from outbox where status <> 'sent'
      and (topic like 'line.%' or topic like 'payment%' or topic like 'refund%')`,
  );
  const outOfStep: string[] = [];
  for (const [msisdn, status] of states) {
    const onNetwork = network.lines.get(msisdn)?.state ?? 'active';
    if ((status === 'blocked') !== (onNetwork === 'suspended'))
      outOfStep.push(`${msisdn}: simdesk ${status}, network ${onNetwork}`);
  }
  const latest = await q<{ msisdn: string; idempotency_key: string }>(
    `select distinct on (payload->>'msisdn') payload->>'msisdn' as msisdn, idempotency_key from outbox
      where topic in ('line.suspend', 'line.resume') order by payload->>'msisdn', id desc`,
  );
  for (const l of latest)
    if (!network.applied.has(l.idempotency_key))
      outOfStep.push(`${l.msisdn}: its latest command never reached the network`);
  const audit = await verifyAuditLog(database.db, testAuditAnchor(join(dir, 'audit-checkpoints')));
  return {
    lost,
    duplicateCharges: duplicateCharges.length + (gatewayTwice[0]?.n ?? 0),
    simTwice: simTwice.length,
    twoActive: twoActive.length,
    undelivered,
    outOfStep,
    audit,
  };
}

/** Waits until the network has had no call for three seconds: what the outbox had to send is sent. */
async function quiet() {
  let still = 0;
  for (let i = 0; i < 120 && still < 3; i++) {
    const before = network.tally.calls;
    await sleep(1_000);
    still = network.tally.calls === before ? still + 1 : 0;
  }
}

test(`kill -9 at random moments under a mixed load (${engine}): nothing acknowledged is lost, nothing is done twice`, async () => {
  const port = await freePort();
  const app = appProcess({
    ...target.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'error',
    SESSION_SECRET: testConfig.sessionSecret,
    DOCUMENT_KEY: testConfig.documentKey.toString('base64'),
    PAYMENT_WEBHOOK_SECRET: testConfig.paymentWebhookSecret,
    DOCUMENTS_DIR: join(dir, 'documents'),
    AUDIT_CHECKPOINT_DIR: join(dir, 'audit-checkpoints'),
    PROVISIONING: 'http',
    PROVISIONING_URL: network.url,
    PROVISIONING_SECRET: secret,
    PROVISIONING_TIMEOUT_MS: '2000',
    SMDP: 'none',
    DATABASE_POOL_SIZE: '8',
  });
  await app.start();
  const load = mixedLoad(
    app.base,
    client,
    { requests: REQUEST_LINES, blocks: BLOCK_LINES },
    (await passportPhoto()).toString('base64'),
  );
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(700 + Math.random() * 1_800);
      await app.kill();
      await app.start();
    }
    await sleep(2_000);
    await load.stop();
    await quiet();
  } finally {
    await load.stop();
    await app.stop();
  }
  // Retries after the kills wait out their backoff (up to minutes): bring them forward and let one last run deliver them.
  const due = await target.open();
  await due.raw.query("update outbox set next_attempt_at = now() where status = 'pending'");
  await due.close();
  await app.start();
  await quiet();
  await app.stop();
  const database = await target.open();
  const held = await invariants(database, load.ledger).finally(() => database.close());
  const { ledger } = load;
  console.log(
    `crash suite (${engine}): kill -9 x${KILLS}: ${acknowledged(ledger)} acknowledged ` +
      `(${ledger.submitted.size} requests submitted, ${ledger.captured.size} charges, ${ledger.cancelled.size} cancellations, ` +
      `${ledger.approved.size} approvals, ${ledger.visits.size} visits, ${ledger.lineChanges} blocks and unblocks), ` +
      `${held.lost.length} lost, ${held.duplicateCharges} duplicate charges, ${held.simTwice} SIMs in two requests, ` +
      `${held.twoActive} lines with two active SIMs, ${held.outOfStep.length} lines out of step with the network ` +
      `(${network.tally.applied} commands applied, ${network.tally.repeats} repeats answered 409, ${network.tally.outages} outages), ` +
      `audit chain of ${held.audit.rows} entries ${held.audit.brokenAt === null ? 'verified' : `broken at ${held.audit.brokenAt}`}, ` +
      `${ledger.wrong.length} wrong answers`,
  );
  expect({ ...held, wrong: ledger.wrong, audit: held.audit.brokenAt }).toEqual({
    wrong: [],
    lost: [],
    duplicateCharges: 0,
    simTwice: 0,
    twoActive: 0,
    undelivered: [],
    outOfStep: [],
    audit: null,
  });
  expect(ledger.submitted.size).toBeGreaterThan(0);
  expect(ledger.captured.size).toBeGreaterThan(0);
  expect(ledger.approved.size + ledger.visits.size).toBeGreaterThan(0);
}, 600_000);
