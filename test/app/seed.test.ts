import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedDemo } from '../../src/app/seed/seed.ts';
import type { Database } from '../../src/db/client.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

let database: Database;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(() => database.close());

const count = async (sql: string) => Number((await database.raw.query<{ n: string }>(sql))[0]!.n);

test('the demo has operators, subscribers, centers across time zones, stock and staff', async () => {
  expect(await count('select count(*) n from operators')).toBeGreaterThanOrEqual(2);
  expect(await count('select count(distinct amount_minor) n from fee_rules')).toBeGreaterThan(2);
  expect(await count('select count(*) n from accounts where password_hash is not null')).toBeGreaterThanOrEqual(20);
  expect(await count(`select count(*) n from lines where kind = 'data'`)).toBeGreaterThan(0);
  expect(await count('select count(*) n from service_centers')).toBeGreaterThanOrEqual(8);
  expect(await count('select count(distinct city_key) n from service_centers')).toBeGreaterThanOrEqual(4);
  expect(await count('select count(distinct time_zone) n from service_centers')).toBeGreaterThanOrEqual(3);
  expect(
    await count(`select count(*) n from service_centers c
      where not exists (select 1 from sims s where s.center_id = c.id and s.status = 'in_stock')`),
  ).toBe(0);
  expect(await count(`select count(*) n from sims where center_id is null and status = 'in_stock'`)).toBeGreaterThan(0);
  expect(
    await count(`select count(*) n from operators o cross join (values ('reviewer'), ('store_agent'), ('logistics'), ('admin')) r(role)
      where not exists (select 1 from staff_roles sr where sr.operator_id = o.id and sr.role = r.role)`),
  ).toBe(0);
  expect(
    await count(`select count(*) n from lines l where not exists
      (select 1 from sims s where s.line_id = l.id and s.status = 'active')`),
  ).toBe(0);
});

test('seeding again changes nothing', async () => {
  const before = await count('select (select count(*) from accounts) + (select count(*) from sims) n');
  const again = await seedDemo(database, testConfig.documentKey);
  expect(again.created).toEqual([]);
  expect(again.skipped.sort()).toEqual(['sever', 'volna']);
  expect(await count('select (select count(*) from accounts) + (select count(*) from sims) n')).toBe(before);
});
