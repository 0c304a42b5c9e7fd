import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { timedJob } from '../../src/jobs/timed-job.ts';
import { secondInstance, testDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase('empty');
});
afterAll(() => database.close());

test('two instances ticking one timed job run it once per period, never both at once, and one takes over when the other is gone', async () => {
  const other = await secondInstance(database);
  const runs: string[] = [];
  let running = 0;
  let overlap = false;
  const work = (who: string) => async () => {
    running++;
    if (running > 1) overlap = true;
    runs.push(who);
    await sleep(50);
    running--;
  };
  const fail = (error: unknown) => {
    throw error;
  };
  const a = timedJob(database.db, 'probe', 1_500, work('a'), fail);
  const b = timedJob(other.db, 'probe', 1_500, work('b'), fail);
  try {
    a.start();
    await sleep(100);
    b.start();
    // Both tick at start: one run between them in the first period.
    await sleep(1_000);
    expect(runs).toEqual(['a']);
    await a.stop();
    // "a" is gone: "b" takes the next turn once a's has run out, a period later.
    await sleep(2_200);
    expect(runs.slice(1)).toContain('b');
    expect(runs.length).toBeLessThanOrEqual(3);
    expect(overlap).toBe(false);
  } finally {
    await a.stop();
    await b.stop();
    await other.close();
  }
});
