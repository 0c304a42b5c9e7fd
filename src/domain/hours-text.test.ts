import { describe, expect, it } from 'vitest';
import { formatExceptions, formatIntervals, parseExceptions, parseIntervals } from './hours-text.ts';

describe('opening hours as typed', () => {
  it('reads a day with a lunch break, in any order, and writes it back the same way', () => {
    const day = parseIntervals('14:00-20:00, 9:00 – 13:00');
    expect(day).toEqual({
      ok: true,
      value: [
        { opens: '09:00', closes: '13:00' },
        { opens: '14:00', closes: '20:00' },
      ],
    });
    expect(formatIntervals(day.ok ? day.value : [])).toBe('09:00-13:00, 14:00-20:00');
    expect(parseIntervals('')).toEqual({ ok: true, value: [] });
    expect(parseIntervals('20:00-24:00')).toEqual({ ok: true, value: [{ opens: '20:00', closes: '24:00' }] });
  });

  it('refuses impossible, reversed and overlapping intervals', () => {
    expect(parseIntervals('9-18')).toEqual({ ok: false, error: 'hours.invalid' });
    expect(parseIntervals('25:00-26:00')).toEqual({ ok: false, error: 'hours.invalid' });
    expect(parseIntervals('18:00-09:00')).toEqual({ ok: false, error: 'hours.invalid' });
    expect(parseIntervals('09:00-13:00, 12:00-18:00')).toEqual({ ok: false, error: 'hours.overlap' });
  });

  it('reads holidays and short days line by line, naming the line of a mistake', () => {
    const parsed = parseExceptions('2027-01-07 closed\n\n2026-12-31 10:00-16:00\n2027-01-01');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { date: '2026-12-31', intervals: [{ opens: '10:00', closes: '16:00' }] },
        { date: '2027-01-01', intervals: [] },
        { date: '2027-01-07', intervals: [] },
      ],
    });
    expect(formatExceptions(parsed.ok ? parsed.value : [])).toBe(
      '2026-12-31 10:00-16:00\n2027-01-01 closed\n2027-01-07 closed',
    );
    expect(parseExceptions('2026-12-31 closed\n2026-02-30 closed')).toEqual({
      ok: false,
      error: { line: 2, problem: 'hours.date' },
    });
    expect(parseExceptions('2026-12-31 closed\n2026-12-31 10:00-12:00')).toEqual({
      ok: false,
      error: { line: 2, problem: 'hours.duplicate_date' },
    });
    expect(parseExceptions('2026-12-31 10-12')).toEqual({ ok: false, error: { line: 1, problem: 'hours.invalid' } });
  });
});
