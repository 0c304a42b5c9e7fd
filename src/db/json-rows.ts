import { getTableColumns, type InferSelectModel, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

/**
 * A row that travelled as JSON (`to_json(row)` in SQL) turned back into the schema's row type:
 * column names to property names, timestamps to dates. The table definition is the only source
 * of both, so a read model in SQL cannot drift from the types the code uses.
 */
export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const { key, name, isDate } of columnsOf(table)) {
    const value = json[name] ?? null;
    row[key] = value !== null && isDate ? new Date(value as string) : value;
  }
  return row as InferSelectModel<T>;
}

type ColumnRead = { key: string; name: string; isDate: boolean };
const columns = new WeakMap<PgTable, ColumnRead[]>();
const columnsOf = (table: PgTable): ColumnRead[] => {
  let list = columns.get(table);
  if (!list) {
    list = Object.entries(getTableColumns(table)).map(([key, c]) => ({
      key,
      name: c.name,
      isDate: c.dataType === 'date',
    }));
    columns.set(table, list);
  }
  return list;
};

/** Calls a read-model function in SQL (see the migrations) and answers its JSON, or null. */
export async function readModel<T>(db: Db, call: SQL): Promise<T | null> {
  const result = await db.execute<{ model: T | null }>(sql`select ${call} as model`);
  return (result as unknown as { rows: { model: T | null }[] }).rows[0]?.model ?? null;
}
