import { type SQL, sql } from 'drizzle-orm';
import { check, foreignKey, type PgColumn, timestamp, uuid } from 'drizzle-orm/pg-core';

export const LOCALES = ['ru', 'en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];
/** Text shown to people, in each language the product speaks. */
export type LocalizedText = Record<Locale, string>;

export const id = () => uuid('id').primaryKey().defaultRandom();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const at = (name: string) => timestamp(name, { withTimezone: true });

function literalList(values: readonly string[]): SQL {
  return sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', '));
}

/** A CHECK constraint keeping a text column within the values the domain defines. */
export function oneOf(name: string, column: PgColumn, values: readonly string[]) {
  return check(name, sql`${column} in (${literalList(values)})`);
}

/** SQL fragment `column not in (…)`, for partial indexes over the live part of a table. */
export function notIn(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} not in (${literalList(values)})`;
}

/**
 * A foreign key that also matches the operator, so a row can never point at another
 * operator's data. The parent table declares `unique(operator_id, id)`.
 */
export function sameOperator(
  name: string,
  operatorId: PgColumn,
  column: PgColumn,
  parent: { operatorId: PgColumn; id: PgColumn },
) {
  return foreignKey({ name, columns: [operatorId, column], foreignColumns: [parent.operatorId, parent.id] });
}
