import { describe, expect, it } from 'vitest';
import { closesAt, isOpenAt, nextOpening, openingStatus, type Schedule } from './opening-hours.ts';

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

  it('opens on the minute it opens and closes on the minute it closes', () => {
    expect(isOpenAt(vladivostok, new Date('2026-11-22T23:00:00Z'))).toBe(true);
    expect(isOpenAt(vladivostok, new Date('2026-11-22T22:59:00Z'))).toBe(false);
    expect(isOpenAt(vladivostok, new Date('2026-11-23T03:00:00Z'))).toBe(false);
    expect(isOpenAt(vladivostok, new Date('2026-11-23T02:59:00Z'))).toBe(true);
    expect(isOpenAt(vladivostok, new Date('2026-11-23T04:30:00Z'))).toBe(true);
    expect(nextOpening(vladivostok, new Date('2026-11-22T23:00:00Z'))).toEqual(new Date('2026-11-23T04:00:00Z'));
  });

  it('reads intervals listed in any order, half hours included', () => {
    const unordered: Schedule = {
      timeZone: 'Europe/Moscow',
      weekly: [
        { weekday: 1, opens: '14:30', closes: '18:00' },
        { weekday: 1, opens: '09:15', closes: '12:45' },
      ],
      exceptions: [],
    };
    const sundayNight = new Date('2026-11-22T20:00:00Z');
    expect(nextOpening(unordered, sundayNight)).toEqual(new Date('2026-11-23T06:15:00Z'));
    expect(closesAt(unordered, new Date('2026-11-23T09:44:00Z'))).toEqual(new Date('2026-11-23T09:45:00Z'));
    expect(isOpenAt(unordered, new Date('2026-11-23T09:45:00Z'))).toBe(false);
  });

  it('looks exactly as many days ahead as asked', () => {
    const mondaysOnly: Schedule = { ...vladivostok, weekly: [{ weekday: 1, opens: '09:00', closes: '10:00' }] };
    const tuesday = new Date('2026-11-24T01:00:00Z');
    expect(nextOpening(mondaysOnly, tuesday, 6)).toEqual(new Date('2026-11-29T23:00:00Z'));
    expect(nextOpening(mondaysOnly, tuesday, 5)).toBeNull();
  });

  it('refuses an unknown time zone by name', () => {
    expect(() => isOpenAt({ ...vladivostok, timeZone: 'Mars/Olympus' }, new Date())).toThrow(
      'unknown time zone Mars/Olympus',
    );
  });
});

describe('opening status', () => {
  it('says until when it is open, or when it opens next', () => {
    expect(openingStatus(vladivostok, new Date('2026-11-23T00:00:00Z'))).toEqual({
      open: true,
      closesAt: new Date('2026-11-23T03:00:00Z'),
    });
    expect(openingStatus(vladivostok, new Date('2026-11-21T08:00:00Z'))).toEqual({
      open: false,
      opensAt: new Date('2026-11-22T23:00:00Z'),
    });
    expect(openingStatus({ ...vladivostok, weekly: [] }, new Date('2026-11-23T00:00:00Z'))).toEqual({
      open: false,
      opensAt: null,
    });
  });
});

describe('daylight-saving days keep the wall-clock hours', () => {
  const berlin: Schedule = {
    timeZone: 'Europe/Berlin',
    weekly: [7].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' })),
    exceptions: [],
  };
  it('opens at 09:00 and closes at 18:00 on the Sunday clocks go forward (2026-03-29) and back (2026-10-25)', () => {
    // Summer time: 09:00 CEST is 07:00 UTC; winter time: 09:00 CET is 08:00 UTC.
    expect(nextOpening(berlin, new Date('2026-03-29T00:30:00Z'))).toEqual(new Date('2026-03-29T07:00:00Z'));
    expect(closesAt(berlin, new Date('2026-03-29T10:00:00Z'))).toEqual(new Date('2026-03-29T16:00:00Z'));
    expect(nextOpening(berlin, new Date('2026-10-25T00:30:00Z'))).toEqual(new Date('2026-10-25T08:00:00Z'));
    expect(closesAt(berlin, new Date('2026-10-25T10:00:00Z'))).toEqual(new Date('2026-10-25T17:00:00Z'));
  });
});
