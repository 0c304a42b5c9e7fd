import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { blockLine, unblockLine } from '../../src/app/lines/line-blocking.ts';
import type { Database } from '../../src/db/client.ts';
import { ProvisioningError } from '../../src/integrations/provisioning/provisioning.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { provisioningHandlers } from '../../src/jobs/provisioning-handlers.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

/** A network whose next `resume` fails once, as a busy HLR does; everything else goes through. */
class FlakyResume extends ProvisioningSimulator {
  failNextResume = true;
  override async resumeLine(call: { msisdn: string; idempotencyKey: string }) {
    if (this.failNextResume) {
      this.failNextResume = false;
      throw new ProvisioningError('simulated HLR timeout on resume', true);
    }
    return super.resumeLine(call);
  }
}

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

const lineOf = async (msisdn: string) => {
  const [line] = await database.raw.query<{ id: string; operator_id: string; account_id: string }>(
    'select id, operator_id, account_id from lines where msisdn = $1',
    [msisdn],
  );
  if (!line) throw new Error(`no line ${msisdn}`);
  return { lineId: line.id, actor: { operatorId: line.operator_id, accountId: line.account_id, ip: '127.0.0.1' } };
};
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

test('block, an unblock that fails once, block again: the network ends blocked, as simdesk says, whatever order the retries run in', async () => {
  const msisdn = '+79161110021';
  const { lineId, actor } = await lineOf(msisdn);
  const network = new FlakyResume();
  const worker = outboxWorker({ db: database.db, handlers: provisioningHandlers(database.db, network) });

  await blockLine(database.db, actor, lineId, new Date(Date.now() - 3000));
  await worker.deliverDue();
  await unblockLine(database.db, actor, lineId, new Date(Date.now() - 2000));
  await worker.deliverDue();
  await blockLine(database.db, actor, lineId, new Date(Date.now() - 1000));
  await worker.deliverDue();
  // The failed unblock's retry comes last.
  await worker.deliverDue(later(10));

  const [line] = await database.raw.query<{ status: string }>('select status from lines where id = $1', [lineId]);
  expect(line?.status).toBe('blocked');
  expect(network.lines.get(msisdn)?.status).toBe('suspended');
  expect(network.applied.map((a) => a.op)).toEqual(['suspend', 'suspend']);
});

test('a dead unblock that a later block replaced is not sent again; the latest command is', async () => {
  const msisdn = '+79161110031';
  const { lineId, actor } = await lineOf(msisdn);
  await unblockLine(database.db, actor, lineId);
  await blockLine(database.db, actor, lineId, new Date(Date.now() - 2000));
  await unblockLine(database.db, actor, lineId, new Date(Date.now() - 1000));
  await blockLine(database.db, actor, lineId);
  const commands = await database.raw.query<{ id: number; topic: string }>(
    "select id, topic from outbox where payload->>'msisdn' = $1 and topic in ('line.suspend', 'line.resume') order by id",
    [msisdn],
  );
  const [, resume, block] = commands;
  await database.raw.query("update outbox set status = 'dead', attempts = 8 where id = any($1)", [
    [resume?.id, block?.id],
  ]);
  const admin = await staffClient(app, database, 'admin@volna.example');
  await admin.get('/staff/network');
  expect((await admin.post(`/staff/network/${resume?.id}/retry`)).headers.location).toBe(
    '/staff/network?done=superseded',
  );
  const page = await admin.get('/staff/network?done=superseded');
  expect(page.body).toContain('a later block or unblock of this number replaced it');
  expect((await admin.post(`/staff/network/${block?.id}/retry`)).headers.location).toBe('/staff/network?done=retried');
  const statuses = await database.raw.query<{ status: string }>(
    'select status from outbox where id = any($1) order by id',
    [[resume?.id, block?.id]],
  );
  expect(statuses.map((s) => s.status)).toEqual(['dead', 'pending']);
});
