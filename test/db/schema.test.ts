import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/**
 * The catalogue as text: columns, constraints and indexes of the public schema. Both the PGlite
 * and the PostgreSQL runs compare against the same committed file, so the two engines are
 * proven to end up with the same schema.
 */
async function fingerprint(db: Database): Promise<string> {
  const columns = await db.raw.query<{ line: string }>(`
    select table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
      || case when is_nullable = 'NO' then ' not null' else '' end
      || coalesce(' default ' || column_default, '') as line
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`);
  const constraints = await db.raw.query<{ line: string }>(`
    select c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) as line
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = 'public' and c.contype in ('p', 'u', 'f', 'c')
    order by 1`);
  const indexes = await db.raw.query<{ line: string }>(`
    select indexdef as line from pg_indexes where schemaname = 'public' order by indexname`);
  return [...columns, ...constraints, ...indexes].map((r) => r.line).join('\n');
}

test('migrations produce the committed schema on this engine', async () => {
  await expect(await fingerprint(database)).toMatchFileSnapshot('./schema.fingerprint.txt');
});

test('the database enforces integrity itself', async () => {
  const [op] = await database.raw.query<{ id: string }>(
    `insert into operators (slug, name, support_phone, support_email)
     values ('t', '{"ru":"Т","en":"T","zh":"T"}', '+70000000000', 's@t.example') returning id`,
  );
  const insertSim = (iccid: string, imsi: string) =>
    database.raw.query(`insert into sims (operator_id, iccid, imsi, form_factor) values ($1, $2, $3, 'triple')`, [
      op!.id,
      iccid,
      imsi,
    ]);
  await insertSim('8970101000000000018', '250010000000001');
  await expect(insertSim('8970101000000000018', '250010000000002')).rejects.toThrow(/unique|duplicate/i);
  await expect(insertSim('1234', '250010000000003')).rejects.toThrow(/sims_iccid_check/);
  await expect(
    database.raw.query(`update sims set status = 'lost_in_space' where iccid = '8970101000000000018'`),
  ).rejects.toThrow(/sims_status_check/);
});

test('every reference between two tables of an operator includes the operator, so no row can point at another brand', async () => {
  const loose = await database.raw.query<{ name: string }>(`
    with tenant as (
      select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'operator_id' and not a.attisdropped)
    )
    select con.conname as name from pg_constraint con
    where con.contype = 'f' and con.conrelid in (select oid from tenant) and con.confrelid in (select oid from tenant)
      and not exists (
        select 1 from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k
        where a.attname = 'operator_id')
    order by 1`);
  expect(loose.map((r) => r.name)).toEqual([]);
});
