import { describe, expect, it } from 'vitest';
import { closesAt, isOpenAt, nextOpening, type Schedule } from './opening-hours.ts';

const weekdays = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, opens: '09:00', closes: '13:00' },
  { weekday, opens: '14:00', closes: '20:00' },
]);
const vladivostok: Schedule = {
  timeZone: 'Asia/Vladivostok',
  weekly: [...weekdays, { weekday: 6, opens: '10:00', closes: '16:00' }],
  exceptions: [{ date: '2026-11-04', intervals: [] }],
};

describe('opening hours in the center time zone', () => {
  it('is open at 10:00 Vladivostok time (UTC+10) on a Monday, which is 00:00 UTC', () => {
    expect(isOpenAt(vladivostok, new Date('2026-11-23T00:00:00Z'))).toBe(true);
    expect(closesAt(vladivostok, new Date('2026-11-23T00:00:00Z'))).toEqual(new Date('2026-11-23T03:00:00Z'));
  });

  it('is closed during the lunch break and reopens after it', () => {
    const lunch = new Date('2026-11-23T03:30:00Z');
    expect(isOpenAt(vladivostok, lunch)).toBe(false);
    expect(nextOpening(vladivostok, lunch)).toEqual(new Date('2026-11-23T04:00:00Z'));
  });

  it('skips Sunday and a public holiday', () => {
    const saturdayEvening = new Date('2026-11-21T08:00:00Z');
    expect(isOpenAt(vladivostok, saturdayEvening)).toBe(false);
    expect(nextOpening(vladivostok, saturdayEvening)).toEqual(new Date('2026-11-22T23:00:00Z'));
    const holiday = new Date('2026-11-04T01:00:00Z');
    expect(isOpenAt(vladivostok, holiday)).toBe(false);
    expect(nextOpening(vladivostok, holiday)).toEqual(new Date('2026-11-04T23:00:00Z'));
  });

  it('returns null for a center that never opens', () => {
    expect(nextOpening({ ...vladivostok, weekly: [] }, new Date())).toBeNull();
  });

  it('supports round-the-clock hours', () => {
    const airport: Schedule = {
      timeZone: 'Europe/Moscow',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
      exceptions: [],
    };
    expect(isOpenAt(airport, new Date('2026-11-22T23:59:00Z'))).toBe(true);
  });
});
