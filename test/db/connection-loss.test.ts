import { expect, test } from 'vitest';
import { testDatabase } from '../support/db.ts';

test.skipIf(!process.env.DATABASE_URL)(
  'a PostgreSQL connection closed by the server is replaced, not fatal',
  async () => {
    const database = await testDatabase();
    const other = await testDatabase();
    try {
      const [{ pid }] = (await database.raw.query<{ pid: number }>('select pg_backend_pid() pid')) as [{ pid: number }];
      await other.raw.query('select pg_terminate_backend($1)', [pid]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const rows = await database.raw.query<{ one: number }>('select 1 one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await other.close();
      await database.close();
    }
  },
);
