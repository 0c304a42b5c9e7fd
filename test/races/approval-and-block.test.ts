import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { blockLine } from '../../src/app/lines/line-blocking.ts';
import { reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';
import { submittedRequest } from '../support/requests.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testLinks } from '../support/test-config.ts';

const LINES = [
  '+79161110011',
  '+79161110021',
  '+79161110031',
  '+79161110041',
  '+79161110042',
  '+79161110061',
  '+79161110071',
  '+79161110081',
  '+79161110091',
  '+79161110101',
];

/** No fee, so the request goes straight to review. */
const esim = { reason: 'switch_to_esim', simType: 'esim', delivery: 'esim', deliveryAddress: null } as const;

let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await testDatabase('seeded', 32);
  staff = await demoStaff(database);
});
afterAll(() => database.close());

test.skipIf(!process.env.DATABASE_URL)(
  'reviewers approving while the owners block their lines: every step answers, none fails on a deadlock',
  async () => {
    const cases = await Promise.all(
      LINES.map(async (msisdn) => {
        const { requestId, actor } = await submittedRequest(database, msisdn, esim);
        const [line] = await database.raw.query<{ id: string }>('select id from lines where msisdn = $1', [msisdn]);
        return { requestId, actor, lineId: line?.id ?? '' };
      }),
    );
    // Under load the audit chain's lock is busy: here a slow transaction holds it while the blocks
    // and then the approvals queue behind it, the order in which a deadlock was seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = () => {};
    const holds = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const busy = database.raw.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [0x5153_4b41]);
      holding();
      await held;
    });
    await holds;
    const blocks = cases.map(({ actor, lineId }) => blockLine(database.db, actor, lineId));
    await sleep(100);
    const approvals = cases.map(({ requestId }) =>
      reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' }),
    );
    await sleep(200);
    release();
    await busy;
    const answers = await Promise.allSettled([...blocks, ...approvals]);
    const errors = answers.filter((a) => a.status === 'rejected').map((a) => String(a.reason).slice(0, 200));
    console.log(
      `${cases.length} approvals racing ${cases.length} blocks: ${answers.length - errors.length} answered, ${errors.length} errors`,
    );
    expect(errors).toEqual([]);
    expect(answers.every((a) => a.status === 'fulfilled' && a.value.ok)).toBe(true);
    const blocked = await database.raw.query<{ n: number }>(
      `select count(*)::int n from lines where msisdn = any($1) and status = 'blocked'`,
      [LINES],
    );
    expect(blocked[0]?.n).toBe(LINES.length);
  },
);
