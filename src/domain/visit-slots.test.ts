import { expect, test } from 'vitest';
import type { Schedule } from './opening-hours.ts';
import { slotAt, visitDays } from './visit-slots.ts';

const vladivostok: Schedule = {
  timeZone: 'Asia/Vladivostok',
  weekly: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opens: '09:00', closes: '13:00' },
    { weekday, opens: '14:00', closes: '15:10' },
  ]),
  exceptions: [{ date: '2026-12-01', intervals: [] }],
};

test('slots follow the hours in the center’s own zone, skip the lunch break, holidays and the slot under way', () => {
  // Monday 30 November 2026, 09:40 in Vladivostok (UTC+10).
  const now = new Date('2026-11-29T23:40:00Z');
  const days = visitDays(vladivostok, now, 3, 30);
  expect(days.map((d) => d.date)).toEqual(['2026-11-30', '2026-12-02']);
  const monday = days[0]?.slots.map((s) => s.startsAt.toISOString()) ?? [];
  // 10:00 starts 20 minutes from now, inside the 30-minute lead; 10:30 is the first.
  expect(monday[0]).toBe('2026-11-30T00:30:00.000Z');
  expect(monday).not.toContain('2026-11-30T03:00:00.000Z'); // 13:00, the lunch break
  expect(monday.at(-1)).toBe('2026-11-30T04:30:00.000Z'); // 14:30; 15:00 would end after 15:10
  expect(days[1]?.slots).toHaveLength(10);
});

test('only the start of a real slot is a slot', () => {
  const now = new Date('2026-11-29T23:40:00Z');
  expect(slotAt(vladivostok, now, 7, 30, new Date('2026-11-30T01:00:00Z'))?.endsAt.toISOString()).toBe(
    '2026-11-30T01:30:00.000Z',
  );
  expect(slotAt(vladivostok, now, 7, 30, new Date('2026-11-30T01:10:00Z'))).toBeNull();
  expect(slotAt(vladivostok, now, 7, 30, new Date('2026-12-01T01:00:00Z'))).toBeNull();
});

test('on a daylight-saving day the slots start at the wall-clock times of the hours', () => {
  const berlin: Schedule = {
    timeZone: 'Europe/Berlin',
    weekly: [{ weekday: 7, opens: '09:00', closes: '10:00' }],
    exceptions: [],
  };
  const [day] = visitDays(berlin, new Date('2026-10-25T00:00:00Z'), 1, 30);
  expect(day?.slots.map((s) => s.startsAt.toISOString())).toEqual([
    '2026-10-25T08:00:00.000Z',
    '2026-10-25T08:30:00.000Z',
  ]);
  const [spring] = visitDays(berlin, new Date('2026-03-29T00:00:00Z'), 1, 30);
  expect(spring?.slots.map((s) => s.startsAt.toISOString())).toEqual([
    '2026-03-29T07:00:00.000Z',
    '2026-03-29T07:30:00.000Z',
  ]);
});
