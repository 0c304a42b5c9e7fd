import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase('empty', 4);
  await database.raw.query('create table retry_probe (id int primary key, n int not null)');
  await database.raw.query('insert into retry_probe values (1, 0), (2, 0)');
});
afterAll(() => database.close());

test.skipIf(!process.env.DATABASE_URL)(
  'two transactions taking the same rows in opposite order: PostgreSQL aborts one as a deadlock, and it is run again',
  async () => {
    let attempts = 0;
    const crosswise = (first: number, second: number) =>
      database.db.transaction(async (tx) => {
        attempts++;
        await tx.execute(sql`update retry_probe set n = n + 1 where id = ${first}`);
        await sleep(100);
        await tx.execute(sql`update retry_probe set n = n + 1 where id = ${second}`);
      });
    await Promise.all([crosswise(1, 2), crosswise(2, 1)]);
    const rows = await database.raw.query<{ n: number }>('select n from retry_probe order by id');
    console.log(`opposite lock order: ${attempts} attempts for 2 transactions, both committed`);
    expect(attempts).toBeGreaterThan(2);
    expect(rows).toEqual([{ n: 2 }, { n: 2 }]);
  },
);
