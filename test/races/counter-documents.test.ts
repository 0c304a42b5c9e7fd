import { afterAll, beforeAll, expect, test } from 'vitest';
import { startWalkIn } from '../../src/app/counter/walk-in.ts';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';

let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await testDatabase('seeded', 24);
  staff = await demoStaff(database);
});
afterAll(() => database.close());

const walkIn = (lineId: string, docNumber: string) =>
  startWalkIn(database.db, testLinks, testConfig.documentKey, staff.store_agent, {
    lineId,
    docType: 'passport_ru',
    docNumber,
    reason: 'lost',
    simType: 'physical',
  });

test.skipIf(!process.env.DATABASE_URL)(
  'forty wrong passports for one line at once: three are checked and audited, the rest held, the administrators told once',
  async () => {
    const [line] = await database.raw.query<{ id: string }>("select id from lines where msisdn = '+79161110031'");
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) => walkIn(line!.id, `4516 ${String(900000 + n)}`)),
    );
    const tally: Record<string, number> = {};
    for (const a of answers) {
      const key = a.status === 'rejected' ? 'thrown' : a.value.ok ? 'ok' : a.value.error;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    const [audited] = await database.raw.query<{ n: number }>(
      "select count(*)::int n from audit_log where action = 'counter.identity_mismatch' and target_id = $1",
      [line!.id],
    );
    const [alerts] = await database.raw.query<{ n: number }>(
      "select count(distinct payload->>'to')::int n from outbox where idempotency_key like 'documents-held:%'",
    );
    console.log(
      `40 wrong passports at once: ${JSON.stringify(tally)}, ${audited?.n} audited, ${alerts?.n} admins told`,
    );
    expect(tally).toEqual({ 'identity.mismatch': 3, 'identity.held': 37 });
    expect(audited?.n).toBe(3);
    expect(alerts?.n).toBeGreaterThan(0);
    // Held even for the right passport, until the hour is over.
    expect(await walkIn(line!.id, '4516 110031')).toEqual({ ok: false, error: 'identity.held' });
  },
);
