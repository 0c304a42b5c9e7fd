import { afterAll, beforeAll, expect, test } from 'vitest';
import { blockLine, unblockLine } from '../../src/app/lines/line-blocking.ts';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { secondInstance, testDatabase } from '../support/db.ts';

let database: Database;
let other: Database;
beforeAll(async () => {
  database = await testDatabase('seeded', 8);
  other = await secondInstance(database);
});
afterAll(async () => {
  await other.close();
  await database.close();
});

test.skipIf(!process.env.DATABASE_URL)(
  'an owner blocking and unblocking while two instances deliver to a slow network: the network ends in the state simdesk shows',
  async () => {
    const msisdn = '+79161110061';
    const [line] = await database.raw.query<{ id: string; operator_id: string; account_id: string }>(
      'select id, operator_id, account_id from lines where msisdn = $1',
      [msisdn],
    );
    if (!line) throw new Error('no line');
    const actor = { operatorId: line.operator_id, accountId: line.account_id, ip: '127.0.0.1' };
    const network = new ProvisioningSimulator({ maxLatencyMs: 200 });
    const workers = [database, other].map((d) =>
      outboxWorker({ db: d.db, handlers: provisioningHandlers(d.db, network), batchSize: 1 }),
    );
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const at = Date.now() - 1000;
      for (let n = 0; n < 5; n++) {
        const change = n % 2 === 0 ? blockLine : unblockLine;
        await change(database.db, actor, line.id, new Date(at + round * 10 + n));
        void workers[n % 2]?.drain();
      }
      await Promise.all(workers.map((w) => w.drain()));
      const [row] = await database.raw.query<{ status: string }>('select status from lines where id = $1', [line.id]);
      outcomes.push(`${row?.status}/${network.lines.get(msisdn)?.status}`);
    }
    console.log(`6 rounds of 5 changes delivered by 2 instances: ${outcomes.join(', ')}`);
    expect(outcomes.every((o) => o === 'blocked/suspended')).toBe(true);
  },
);
