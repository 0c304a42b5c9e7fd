import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Interval } from '../../domain/opening-hours.ts';
import { createdAt, id, type LocalizedText, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';

export const serviceCenters = pgTable(
  'service_centers',
  {
    id: id(),
    operatorId: operatorId(),
    code: text('code').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    /** Stable key for filtering and delivery zones, e.g. "moscow". */
    cityKey: text('city_key').notNull(),
    city: jsonb('city').$type<LocalizedText>().notNull(),
    address: jsonb('address').$type<LocalizedText>().notNull(),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    /** IANA zone; "open now" is computed in it (Russia spans eleven). */
    timeZone: text('time_zone').notNull(),
    phone: text('phone').notNull(),
    offersEsim: boolean('offers_esim').notNull().default(true),
    offersPickup: boolean('offers_pickup').notNull().default(true),
    /** Below this many cards of a kind in stock, the center's agents are warned. */
    lowStockThreshold: integer('low_stock_threshold').notNull().default(5),
    /** Visits are booked in slots of this length from the opening hours, each taking this many people. */
    slotMinutes: smallint('slot_minutes').notNull().default(30),
    slotCapacity: smallint('slot_capacity').notNull().default(2),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    unique('service_centers_operator_id_key').on(t.operatorId, t.id),
    unique('service_centers_operator_code_key').on(t.operatorId, t.code),
    check(
      'service_centers_position_check',
      sql`${t.latitude} between -90 and 90 and ${t.longitude} between -180 and 180`,
    ),
    check('service_centers_low_stock_check', sql`${t.lowStockThreshold} >= 0`),
    check('service_centers_slots_check', sql`${t.slotMinutes} between 5 and 240 and ${t.slotCapacity} >= 0`),
  ],
);

/** Weekly opening intervals in local time; a day may have several (a lunch break). */
export const centerHours = pgTable(
  'center_hours',
  {
    operatorId: operatorId(),
    centerId: uuid('center_id').notNull(),
    weekday: smallint('weekday').notNull(),
    opens: time('opens').notNull(),
    closes: time('closes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.centerId, t.weekday, t.opens] }),
    sameOperator('center_hours_center_fk', t.operatorId, t.centerId, serviceCenters),
    check('center_hours_weekday_check', sql`${t.weekday} between 1 and 7`),
    check('center_hours_interval_check', sql`${t.opens} < ${t.closes}`),
  ],
);

/** Holidays and special days; an empty interval list means closed all day. */
export const centerExceptions = pgTable(
  'center_exceptions',
  {
    operatorId: operatorId(),
    centerId: uuid('center_id').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    intervals: jsonb('intervals').$type<Interval[]>().notNull().default([]),
    note: jsonb('note').$type<LocalizedText>(),
  },
  (t) => [
    primaryKey({ columns: [t.centerId, t.date] }),
    sameOperator('center_exceptions_center_fk', t.operatorId, t.centerId, serviceCenters),
  ],
);
