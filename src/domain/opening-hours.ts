import { DateTime } from 'luxon';

/** "HH:MM" in the center's local time; "24:00" closes at midnight. */
export type Interval = { opens: string; closes: string };
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type WeeklyHours = { weekday: number; opens: string; closes: string }[];
/** A holiday or a day with special hours, by local date "YYYY-MM-DD"; no intervals means closed. */
export type HoursException = { date: string; intervals: Interval[] };

export type Schedule = { timeZone: string; weekly: WeeklyHours; exceptions: HoursException[] };

/** Minutes since local midnight of "HH:MM". */
export const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * The moment a local day shows `minutes` after midnight on the wall clock: set, not added, so a
 * daylight-saving day still opens at 09:00 (adding 540 minutes to its midnight gives 10:00 or
 * 08:00). 24:00 is the next day's midnight; a time the clock skips is moved past the gap.
 */
export function atLocalMinutes(day: DateTime, minutes: number): DateTime {
  const midnight = day.startOf('day');
  if (minutes >= 24 * 60) return midnight.plus({ days: 1 });
  return midnight.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
}

/** The opening intervals of one local day, holidays applied. */
export function intervalsOn(schedule: Schedule, localDate: DateTime): Interval[] {
  const iso = localDate.toISODate();
  const exception = schedule.exceptions.find((e) => e.date === iso);
  if (exception) return exception.intervals;
  return schedule.weekly
    .filter((h) => h.weekday === localDate.weekday)
    .map(({ opens, closes }) => ({ opens, closes }))
    .sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
}

function localNow(schedule: Schedule, at: Date): DateTime {
  const local = DateTime.fromJSDate(at, { zone: schedule.timeZone });
  if (!local.isValid) throw new Error(`unknown time zone ${schedule.timeZone}`);
  return local;
}

/** When the center next opens, looking up to `horizonDays` ahead; null if it stays closed. */
export function nextOpening(schedule: Schedule, at: Date, horizonDays = 14): Date | null {
  const local = localNow(schedule, at);
  for (let day = 0; day <= horizonDays; day++) {
    const date = local.plus({ days: day }).startOf('day');
    for (const interval of intervalsOn(schedule, date)) {
      const opens = atLocalMinutes(date, minutesOf(interval.opens));
      if (opens > local) return opens.toJSDate();
    }
  }
  return null;
}

/** When the current opening interval ends, or null if closed now. */
export function closesAt(schedule: Schedule, at: Date): Date | null {
  const local = localNow(schedule, at);
  const minute = local.hour * 60 + local.minute;
  const current = intervalsOn(schedule, local).find(
    (i) => minute >= minutesOf(i.opens) && minute < minutesOf(i.closes),
  );
  return current ? atLocalMinutes(local, minutesOf(current.closes)).toJSDate() : null;
}

export function isOpenAt(schedule: Schedule, at: Date): boolean {
  return closesAt(schedule, at) !== null;
}

export type OpeningStatus = { open: true; closesAt: Date } | { open: false; opensAt: Date | null };

/** Open now and until when, or closed and when it opens next (null: not in the next two weeks). */
export function openingStatus(schedule: Schedule, at: Date): OpeningStatus {
  const closes = closesAt(schedule, at);
  return closes ? { open: true, closesAt: closes } : { open: false, opensAt: nextOpening(schedule, at) };
}
