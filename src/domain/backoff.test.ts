import fc from 'fast-check';
import { expect, test } from 'vitest';
import { retryDelayMs } from './backoff.ts';

test('delays double from the base and stop growing at the cap', () => {
  const fixed = () => 0;
  expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, fixed))).toEqual([1000, 2000, 4000, 8000]);
  expect(retryDelayMs(30, 1000, 60_000, fixed)).toBe(60_000);
});

test('jitter stays within 20% and never shortens the delay', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
      const plain = retryDelayMs(n, 500, 30_000, () => 0);
      const jittered = retryDelayMs(n, 500, 30_000, () => r);
      expect(jittered).toBeGreaterThanOrEqual(plain);
      expect(jittered).toBeLessThanOrEqual(Math.round(plain * 1.2));
    }),
  );
});
