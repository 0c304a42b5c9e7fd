import fc from 'fast-check';
import { expect, test } from 'vitest';
import { FREE_FAILURES, lockedUntil, lockoutMinutes } from './lockout.ts';

test('the first failures are free, then the wait doubles up to a day', () => {
  expect(lockoutMinutes(FREE_FAILURES - 1)).toBe(0);
  expect(lockoutMinutes(FREE_FAILURES)).toBe(1);
  expect(lockoutMinutes(FREE_FAILURES + 3)).toBe(8);
  expect(lockoutMinutes(100)).toBe(1440);
  expect(lockedUntil(2, new Date('2026-01-01T00:00:00Z'))).toBeNull();
  expect(lockedUntil(FREE_FAILURES + 1, new Date('2026-01-01T00:00:00Z'))).toEqual(new Date('2026-01-01T00:02:00Z'));
});

test('more failures never shorten the wait', () => {
  fc.assert(fc.property(fc.nat(200), (n) => lockoutMinutes(n + 1) >= lockoutMinutes(n)));
});
