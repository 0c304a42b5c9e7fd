import { DateTime } from 'luxon';
import type { HoursException, Interval } from './opening-hours.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Opening hours as an administrator types them: one day's intervals as "09:00-13:00, 14:00-20:00"
 * (empty: closed), and exceptions one per line as "2026-12-31 10:00-16:00" or "2027-01-01 closed".
 */
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export function parseIntervals(text: string): Result<Interval[], 'hours.invalid' | 'hours.overlap'> {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const intervals: Interval[] = [];
  for (const part of parts) {
    const [opens = '', closes = '', ...rest] = part.split(/\s*[-–—]\s*/).map((s) => s.padStart(5, '0'));
    if (rest.length > 0 || !TIME.test(opens) || !TIME.test(closes) || opens === '24:00') return err('hours.invalid');
    if (toMinutes(opens) >= toMinutes(closes)) return err('hours.invalid');
    intervals.push({ opens, closes });
  }
  intervals.sort((a, b) => toMinutes(a.opens) - toMinutes(b.opens));
  for (let i = 1; i < intervals.length; i++)
    if (toMinutes((intervals[i] as Interval).opens) < toMinutes((intervals[i - 1] as Interval).closes))
      return err('hours.overlap');
  return ok(intervals);
}

export const formatIntervals = (intervals: Interval[]) => intervals.map((i) => `${i.opens}-${i.closes}`).join(', ');

const CLOSED = /^(closed|закрыто|休息)$/i;

export function parseExceptions(text: string): Result<HoursException[], { line: number; problem: string }> {
  const exceptions: HoursException[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const entry = raw.trim();
    if (!entry) continue;
    const [date = '', ...rest] = entry.split(/\s+/);
    const hours = rest.join(' ');
    const line = index + 1;
    if (!DateTime.fromISO(date).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date))
      return err({ line, problem: 'hours.date' });
    if (exceptions.some((e) => e.date === date)) return err({ line, problem: 'hours.duplicate_date' });
    if (CLOSED.test(hours) || hours === '') {
      exceptions.push({ date, intervals: [] });
      continue;
    }
    const intervals = parseIntervals(hours);
    if (!intervals.ok) return err({ line, problem: intervals.error });
    exceptions.push({ date, intervals: intervals.value });
  }
  return ok(exceptions.sort((a, b) => a.date.localeCompare(b.date)));
}

export const formatExceptions = (exceptions: HoursException[]) =>
  exceptions.map((e) => `${e.date} ${e.intervals.length ? formatIntervals(e.intervals) : 'closed'}`).join('\n');
