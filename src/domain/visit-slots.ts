import { DateTime } from 'luxon';
import { atLocalMinutes, intervalsOn, minutesOf, type Schedule } from './opening-hours.ts';

export type Slot = { startsAt: Date; endsAt: Date };
export type VisitDay = { date: string; slots: Slot[] };

/**
 * The slots a visit can be booked in over the next `days` local days: each opening interval cut
 * into `slotMinutes` pieces that end by closing time, holidays applied, in the center's own time
 * zone. A slot must start at least `leadMinutes` from now, so nobody books the one already under way.
 */
export function visitDays(
  schedule: Schedule,
  now: Date,
  days: number,
  slotMinutes: number,
  leadMinutes = 30,
): VisitDay[] {
  const earliest = now.getTime() + leadMinutes * 60_000;
  const today = DateTime.fromJSDate(now, { zone: schedule.timeZone }).startOf('day');
  const result: VisitDay[] = [];
  for (let d = 0; d < days; d++) {
    const date = today.plus({ days: d });
    const slots: Slot[] = [];
    for (const interval of intervalsOn(schedule, date)) {
      const closes = minutesOf(interval.closes);
      for (let start = minutesOf(interval.opens); start + slotMinutes <= closes; start += slotMinutes) {
        const startsAt = atLocalMinutes(date, start).toJSDate();
        if (startsAt.getTime() >= earliest)
          slots.push({ startsAt, endsAt: atLocalMinutes(date, start + slotMinutes).toJSDate() });
      }
    }
    if (slots.length > 0) result.push({ date: date.toISODate() as string, slots });
  }
  return result;
}

/** Whether `startsAt` is the start of one of the bookable slots, and that slot. */
export function slotAt(schedule: Schedule, now: Date, days: number, slotMinutes: number, startsAt: Date): Slot | null {
  for (const day of visitDays(schedule, now, days, slotMinutes))
    for (const slot of day.slots) if (slot.startsAt.getTime() === startsAt.getTime()) return slot;
  return null;
}
