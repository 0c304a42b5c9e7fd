import { handOverCounterSim } from '../../src/app/counter/counter-sim.ts';
import { startWalkIn, takeCounterPayment } from '../../src/app/counter/walk-in.ts';
import { DEMO_SUBSCRIBERS, demoDocument } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { demoStaff } from './staff.ts';
import { testConfig, testLinks } from './test-config.ts';

/**
 * A demo subscriber walks in at MSK-TVER with the passport on file and pays in cash; `handOver`
 * then gives them a card from the center's stock, which swaps the SIM at once.
 */
export async function counterWalkIn(database: Database, msisdn: string, at = new Date()) {
  const agent = (await demoStaff(database)).store_agent;
  const subscriber = DEMO_SUBSCRIBERS.find((s) => s.lines.some((l) => l.msisdn === msisdn));
  if (!subscriber) throw new Error(`${msisdn} is not a demo number`);
  const [line] = await database.raw.query<{ id: string }>('select id from lines where msisdn = $1', [msisdn]);
  const started = await startWalkIn(
    database.db,
    testLinks,
    testConfig.documentKey,
    agent,
    { lineId: line?.id ?? '', ...demoDocument(subscriber), reason: 'lost', simType: 'physical' },
    at,
  );
  if (!started.ok) throw new Error(started.error);
  const { requestId } = started.value;
  await takeCounterPayment(database.db, agent, requestId, { method: 'cash', slipRef: '' }, at);
  return {
    async handOver() {
      const [card] = await database.raw.query<{ iccid: string }>(
        `select s.iccid from sims s join service_centers c on c.id = s.center_id
          where c.code = 'MSK-TVER' and s.status = 'in_stock' and s.form_factor <> 'esim' limit 1`,
      );
      const handed = await handOverCounterSim(database.db, testLinks, agent, requestId, card?.iccid ?? '', at);
      if (!handed.ok) throw new Error(String(handed.error));
    },
  };
}
