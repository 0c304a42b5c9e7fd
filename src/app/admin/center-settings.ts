import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { centerExceptions, centerHours, serviceCenters } from '../../db/schema/centers.ts';
import { formatExceptions, formatIntervals, parseExceptions, parseIntervals } from '../../domain/hours-text.ts';
import type { Interval } from '../../domain/opening-hours.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import { checkbox, type FormProblems, problemsOf, wholeNumber } from './form-values.ts';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const centerForm = z.object({
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s()-]{5,20}$/, 'admin.invalid.phone'),
  slotMinutes: wholeNumber(5, 240),
  slotCapacity: wholeNumber(0, 50),
  lowStockThreshold: wholeNumber(0, 10_000),
  active: checkbox,
});

/** A center's settings as its form shows them: hours per weekday and exceptions as text. */
export type CenterSettings = z.output<typeof centerForm> & {
  id: string;
  code: string;
  name: Record<string, string>;
  hours: Record<string, string>;
  exceptions: string;
};

/** Every center of the operator, open or not, by code: the admin's list. */
export const operatorCenters = (db: Db | Tx, operatorId: string) =>
  db.select().from(serviceCenters).where(eq(serviceCenters.operatorId, operatorId)).orderBy(asc(serviceCenters.code));

export async function centerSettings(
  db: Db | Tx,
  operatorId: string,
  centerId: string,
): Promise<CenterSettings | null> {
  const [center] = await db
    .select()
    .from(serviceCenters)
    .where(and(eq(serviceCenters.operatorId, operatorId), eq(serviceCenters.id, centerId)));
  if (!center) return null;
  const weekly = await db
    .select()
    .from(centerHours)
    .where(eq(centerHours.centerId, centerId))
    .orderBy(asc(centerHours.weekday), asc(centerHours.opens));
  const exceptions = await db
    .select()
    .from(centerExceptions)
    .where(eq(centerExceptions.centerId, centerId))
    .orderBy(asc(centerExceptions.date));
  const hhmm = (t: string) => t.slice(0, 5);
  return {
    id: center.id,
    code: center.code,
    name: center.name,
    phone: center.phone,
    slotMinutes: center.slotMinutes,
    slotCapacity: center.slotCapacity,
    lowStockThreshold: center.lowStockThreshold,
    active: center.active,
    hours: Object.fromEntries(
      WEEKDAYS.map((d) => [
        `hours${d}`,
        formatIntervals(
          weekly.filter((h) => h.weekday === d).map((h) => ({ opens: hhmm(h.opens), closes: hhmm(h.closes) })),
        ),
      ]),
    ),
    exceptions: formatExceptions(exceptions.map((e) => ({ date: e.date, intervals: e.intervals }))),
  };
}

const comparable = (s: CenterSettings) => {
  const { id: _id, code: _code, name: _name, hours, ...rest } = s;
  return { ...rest, ...hours };
};

/**
 * Saves a center's contact, visit slots, stock threshold, weekly hours and exceptions in one
 * transaction, audited with the values before and after; every problem is named at once.
 */
export function updateCenter(
  db: Db,
  staff: StaffActor,
  centerId: string,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<boolean, FormProblems>> {
  const problems: FormProblems = {};
  const parsed = centerForm.safeParse(form);
  if (!parsed.success) Object.assign(problems, problemsOf(parsed.error));
  const weekly: { weekday: number; interval: Interval }[] = [];
  for (const day of WEEKDAYS) {
    const intervals = parseIntervals(form[`hours${day}`] ?? '');
    if (!intervals.ok) problems[`hours${day}`] = 'admin.invalid.hours';
    else weekly.push(...intervals.value.map((interval) => ({ weekday: day, interval })));
  }
  const exceptions = parseExceptions(form.exceptions ?? '');
  if (!exceptions.ok) problems.exceptions = 'admin.invalid.exceptions';
  if (!parsed.success || !exceptions.ok || Object.keys(problems).length > 0) return Promise.resolve(err(problems));
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const before = await centerSettings(tx, staff.operatorId, centerId);
    if (!before) return err({ form: 'admin.not_found' });
    await tx
      .update(serviceCenters)
      .set(parsed.data)
      .where(and(eq(serviceCenters.operatorId, staff.operatorId), eq(serviceCenters.id, centerId)));
    await tx.delete(centerHours).where(eq(centerHours.centerId, centerId));
    if (weekly.length > 0)
      await tx
        .insert(centerHours)
        .values(
          weekly.map(({ weekday, interval }) => ({ operatorId: staff.operatorId, centerId, weekday, ...interval })),
        );
    await tx.delete(centerExceptions).where(eq(centerExceptions.centerId, centerId));
    if (exceptions.value.length > 0)
      await tx
        .insert(centerExceptions)
        .values(exceptions.value.map((e) => ({ operatorId: staff.operatorId, centerId, ...e })));
    const after: CenterSettings = {
      ...before,
      ...parsed.data,
      hours: Object.fromEntries(
        WEEKDAYS.map((d) => [
          `hours${d}`,
          formatIntervals(weekly.filter((w) => w.weekday === d).map((w) => w.interval)),
        ]),
      ),
      exceptions: formatExceptions(exceptions.value),
    };
    const target = { kind: 'service_center', id: centerId };
    return ok(
      await auditChange(tx, staff, 'center.settings_changed', target, comparable(before), comparable(after), now),
    );
  });
}
