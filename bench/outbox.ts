/**
 * The outbox under a soak's load: for SECONDS (default 30) RATE messages a second (default 60)
 * of network commands and second-factor codes are queued, each command to its own number, while
 * PARTNER_RATE (default 5) partner events a second go to sinks that take PARTNER_MS (default
 * 9,000) to answer. The network answers in up to 300 ms, the SMSC in 50 ms. Prints p50/p99 from
 * queueing to delivery per lane, for simdesk's lanes and, as the baseline in the same run, for one
 * queue delivering one message at a time (the worker before lanes). Target: codes and network
 * commands p99 under 2 s.
 *
 *   npm run bench:outbox                        # embedded PGlite in a temporary directory
 *   DATABASE_URL=postgres://… npm run bench:outbox
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LANES, type LaneName } from '../src/app/outbox/lanes.ts';
import { enqueue } from '../src/app/outbox/outbox.ts';
import { openDatabase } from '../src/db/client.ts';
import { ProvisioningSimulator } from '../src/integrations/provisioning/simulator.ts';
import { type OutboxHandlers, type OutboxWorkerOptions, outboxWorker } from '../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../src/jobs/provisioning-handlers.ts';

const SECONDS = Number(process.env.SECONDS ?? 30);
const RATE = Number(process.env.RATE ?? 60);
const PARTNER_RATE = Number(process.env.PARTNER_RATE ?? 5);
const PARTNER_MS = Number(process.env.PARTNER_MS ?? 9_000);

const dir = mkdtempSync(join(tmpdir(), 'simdesk-outbox-'));
const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: join(dir, 'pglite'), poolSize: 20 });
await database.migrate();
const [operator] = await database.raw.query<{ id: string }>(
  `insert into operators (slug, name, support_phone, support_email)
   values ('bench-outbox-' || gen_random_uuid(), '{"en": "Bench"}', '+70000000000', 'bench@example.org') returning id`,
);
const operatorId = operator!.id;
const network = new ProvisioningSimulator({ maxLatencyMs: 300 });
const handlers: Partial<OutboxHandlers> = {
  ...provisioningHandlers(database.db, network),
  'sms.send': () => sleep(50),
  'webhook.deliver': (_p, { signal }) => sleep(PARTNER_MS, undefined, { signal }).catch(() => undefined),
};

type Latencies = Record<'network' | 'messages' | 'partners', { p50: number; p99: number; n: number; waiting: number }>;

async function soak(label: string, options: Partial<OutboxWorkerOptions>): Promise<Latencies> {
  await database.raw.query('delete from outbox');
  const worker = outboxWorker({ db: database.db, handlers, pollMs: 200, ...options });
  worker.start();
  let n = 0;
  const perTick = RATE / 10;
  const partnerPerTick = PARTNER_RATE / 10;
  let partnerOwed = 0;
  const ends = Date.now() + SECONDS * 1_000;
  while (Date.now() < ends) {
    const tick = Date.now();
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < perTick; i++, n++) {
        const msisdn = `+7997${String(n).padStart(7, '0')}`;
        if (n % 2 === 0)
          await enqueue(tx, {
            operatorId,
            topic: 'line.suspend',
            payload: { msisdn },
            idempotencyKey: `b:${label}:${n}`,
          });
        else
          await enqueue(tx, {
            operatorId,
            topic: 'sms.send',
            payload: { to: msisdn, text: 'code' },
            idempotencyKey: `b:${label}:${n}`,
          });
      }
      for (partnerOwed += partnerPerTick; partnerOwed >= 1; partnerOwed--, n++)
        await enqueue(tx, {
          operatorId,
          topic: 'webhook.deliver',
          payload: { deliveryId: n },
          idempotencyKey: `b:${label}:${n}`,
        });
    });
    worker.kick();
    await sleep(Math.max(0, 100 - (Date.now() - tick)));
  }
  // The soak's own messages should all be out; partners' slow sinks are not waited for, and what
  // is still queued after SECONDS + 10 s counts with its wait so far (a lower bound).
  const settleBy = Date.now() + SECONDS * 1_000 + 10_000;
  while (Date.now() < settleBy) {
    const [left] = await database.raw.query<{ n: number }>(
      `select count(*)::int n from outbox where status = 'pending' and topic in ('line.suspend', 'sms.send')`,
    );
    if (left?.n === 0) break;
    await sleep(200);
  }
  const measuredAt = new Date();
  await worker.stop();
  const byLane = async (lane: LaneName) => {
    const [r] = await database.raw.query<{ p50: number; p99: number; n: number; waiting: number }>(
      `select coalesce(percentile_cont(0.5) within group (order by ms), 0)::float p50,
              coalesce(percentile_cont(0.99) within group (order by ms), 0)::float p99,
              count(*) filter (where sent)::int n, count(*) filter (where not sent)::int waiting
         from (select extract(epoch from coalesce(sent_at, $2) - created_at) * 1000 ms, sent_at is not null sent
                 from outbox where topic = any($1)) d`,
      [[...LANES[lane].topics], measuredAt.toISOString()],
    );
    return { p50: Math.round(r!.p50), p99: Math.round(r!.p99), n: r!.n, waiting: r!.waiting };
  };
  return { network: await byLane('network'), messages: await byLane('messages'), partners: await byLane('partners') };
}

const everyTopic = Object.values(LANES).flatMap((lane) => lane.topics);
const oneQueue: Partial<OutboxWorkerOptions> = {
  lanes: {
    network: { topics: everyTopic, concurrency: 1 },
    messages: { topics: [] },
    payments: { topics: [] },
    partners: { topics: [] },
  },
};
console.log(
  `outbox soak: ${SECONDS} s, ${RATE} network commands and codes a second, ${PARTNER_RATE} partner events a second to sinks answering in ${PARTNER_MS} ms, on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
);
const lanes = await soak('lanes', {});
const baseline = await soak('one', oneQueue);
const at = (ms: number, l: Latencies['network']) => `${l.waiting ? '≥' : ' '}${String(ms).padStart(6)} ms`;
const line = (name: string, l: Latencies['network']) =>
  `  ${name.padEnd(22)} p50 ${at(l.p50, l)}   p99 ${at(l.p99, l)}   (${l.n} delivered${l.waiting ? `, ${l.waiting} still queued` : ''})`;
console.log('lanes:');
console.log(line('network commands', lanes.network));
console.log(line('codes (messages)', lanes.messages));
console.log(line('partner events', lanes.partners));
console.log('one queue, one at a time (baseline):');
console.log(line('network commands', baseline.network));
console.log(line('codes (messages)', baseline.messages));
const worst = Math.max(lanes.network.p99, lanes.messages.p99);
const baseWorst = Math.max(baseline.network.p99, baseline.messages.p99);
console.log(
  `codes and network commands p99: ${worst} ms with lanes, ${baseWorst} ms on one queue (${(baseWorst / Math.max(worst, 1)).toFixed(1)}× faster); target under 2,000 ms: ${worst < 2_000 ? 'met' : 'MISSED'}`,
);
await database.close();
rmSync(dir, { recursive: true, force: true });
