import { and, asc, count, eq, gte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { centerExceptions, centerHours, serviceCenters } from '../../db/schema/centers.ts';
import { sims } from '../../db/schema/sims.ts';
import { distanceKm, type Position } from '../../domain/geo.ts';
import { type OpeningStatus, openingStatus, type Schedule } from '../../domain/opening-hours.ts';

export type CenterListing = {
  center: typeof serviceCenters.$inferSelect;
  schedule: Schedule;
  status: OpeningStatus;
  /** Cards ready at the counter now: physical cards and eSIM profiles. */
  stock: { physical: number; esim: number };
  /** Kilometres from the visitor, when they shared where they are. */
  distanceKm: number | null;
};

const hhmm = (time: string) => time.slice(0, 5);

/**
 * The operator's active centers as the public finder shows them: hours (with holidays from
 * today on) in each center's own time zone, open now or when next, stock at the counter, and
 * distance from `from`. Sorted by distance when known, else by city and code.
 */
export async function centerDirectory(
  db: Db,
  operatorId: string,
  options: { now: Date; from?: Position | null; search?: string; code?: string },
): Promise<CenterListing[]> {
  const where = [eq(serviceCenters.operatorId, operatorId), eq(serviceCenters.active, true)];
  if (options.code) where.push(eq(serviceCenters.code, options.code));
  const centers = await db
    .select()
    .from(serviceCenters)
    .where(and(...where))
    .orderBy(asc(serviceCenters.cityKey), asc(serviceCenters.code));
  const wanted = options.search?.trim().toLocaleLowerCase() ?? '';
  const matching = wanted
    ? centers.filter((c) =>
        [...Object.values(c.city), ...Object.values(c.address), ...Object.values(c.name), c.code].some((text) =>
          text.toLocaleLowerCase().includes(wanted),
        ),
      )
    : centers;
  if (matching.length === 0) return [];
  const yesterday = new Date(options.now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const [hours, exceptions, stock] = await Promise.all([
    db.select().from(centerHours).where(eq(centerHours.operatorId, operatorId)),
    db
      .select()
      .from(centerExceptions)
      .where(and(eq(centerExceptions.operatorId, operatorId), gte(centerExceptions.date, yesterday))),
    stockRows(db, operatorId),
  ]);
  const listings = matching.map((center) => {
    const schedule: Schedule = {
      timeZone: center.timeZone,
      weekly: hours
        .filter((h) => h.centerId === center.id)
        .map((h) => ({ weekday: h.weekday, opens: hhmm(h.opens), closes: hhmm(h.closes) })),
      exceptions: exceptions
        .filter((e) => e.centerId === center.id)
        .map(({ date, intervals }) => ({ date, intervals })),
    };
    return {
      center,
      schedule,
      status: openingStatus(schedule, options.now),
      stock: stockOf(stock, center.id),
      distanceKm: options.from ? distanceKm(options.from, center) : null,
    };
  });
  return options.from ? listings.sort((a, b) => (a.distanceKm ?? 0) - (b.distanceKm ?? 0)) : listings;
}

type StockRow = { centerId: string | null; formFactor: string; n: number };

const stockRows = (db: Db, operatorId: string, centerId?: string): Promise<StockRow[]> =>
  db
    .select({ centerId: sims.centerId, formFactor: sims.formFactor, n: count() })
    .from(sims)
    .where(
      and(
        eq(sims.operatorId, operatorId),
        eq(sims.status, 'in_stock'),
        ...(centerId ? [eq(sims.centerId, centerId)] : []),
      ),
    )
    .groupBy(sims.centerId, sims.formFactor);

const stockOf = (rows: StockRow[], centerId: string) => {
  const here = rows.filter((s) => s.centerId === centerId);
  return {
    physical: here.filter((s) => s.formFactor !== 'esim').reduce((sum, s) => sum + s.n, 0),
    esim: here.filter((s) => s.formFactor === 'esim').reduce((sum, s) => sum + s.n, 0),
  };
};

export type CounterStock = {
  name: Record<string, string>;
  physical: number;
  esim: number;
  threshold: number;
  offersEsim: boolean;
};

/** A center's stock at the counter, with its low-stock threshold, for the agents who work there. */
export async function counterStock(db: Db, operatorId: string, centerId: string): Promise<CounterStock | null> {
  const [center] = await db
    .select()
    .from(serviceCenters)
    .where(and(eq(serviceCenters.operatorId, operatorId), eq(serviceCenters.id, centerId)));
  if (!center) return null;
  const stock = stockOf(await stockRows(db, operatorId, centerId), centerId);
  return { name: center.name, ...stock, threshold: center.lowStockThreshold, offersEsim: center.offersEsim };
}
