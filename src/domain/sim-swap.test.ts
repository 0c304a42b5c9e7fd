import { expect, test } from 'vitest';
import { checkedHours, latestSwap, swappedWithin } from './sim-swap.ts';

const now = new Date('2026-11-27T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

test('maxAge: 240 by default, 1 to 2400, and never beyond the monitored period', () => {
  expect(checkedHours(undefined, null)).toEqual({ ok: true, value: 240 });
  expect(checkedHours(1, null)).toEqual({ ok: true, value: 1 });
  expect(checkedHours(2400, null)).toEqual({ ok: true, value: 2400 });
  for (const bad of [0, -1, 2401, 1.5]) expect(checkedHours(bad, null).ok, String(bad)).toBe(false);
  expect(checkedHours(720, 30)).toEqual({ ok: true, value: 720 });
  expect(checkedHours(721, 30)).toEqual({ ok: false, error: { code: 'OUT_OF_RANGE', monitoredDays: 30 } });
});

test('swapped within the hours asked, the boundary excluded', () => {
  const history = { latestChange: hoursAgo(10), activatedAt: hoursAgo(10) };
  expect(swappedWithin(history, 11, now)).toBe(true);
  expect(swappedWithin(history, 10, now)).toBe(false);
  expect(swappedWithin({ latestChange: null, activatedAt: hoursAgo(1) }, 240, now)).toBe(false);
});

test('the latest swap, the activation when history is kept for ever, or null with the monitored period', () => {
  const old = { latestChange: hoursAgo(24 * 200), activatedAt: hoursAgo(24 * 200) };
  expect(latestSwap(old, null, now)).toEqual({ latestSimChange: old.latestChange });
  expect(latestSwap(old, 120, now)).toEqual({ latestSimChange: null, monitoredPeriod: 120 });
  const recent = { latestChange: hoursAgo(5), activatedAt: hoursAgo(5) };
  expect(latestSwap(recent, 120, now)).toEqual({ latestSimChange: recent.latestChange });
  const never = { latestChange: null, activatedAt: hoursAgo(24 * 400) };
  expect(latestSwap(never, null, now)).toEqual({ latestSimChange: never.activatedAt });
  expect(latestSwap(never, 120, now)).toEqual({ latestSimChange: null, monitoredPeriod: 120 });
});
