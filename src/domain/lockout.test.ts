import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ACCOUNT_POLICY, ADDRESS_POLICY, lockoutMinutes, lockoutSchedule } from './lockout.ts';

test('the first failures are free, then the wait doubles up to the cap', () => {
  expect(lockoutMinutes(ACCOUNT_POLICY, 4)).toBe(0);
  expect(lockoutMinutes(ACCOUNT_POLICY, 5)).toBe(1);
  expect(lockoutMinutes(ACCOUNT_POLICY, 8)).toBe(8);
  expect(lockoutMinutes(ACCOUNT_POLICY, 1_000)).toBe(60);
  expect(lockoutMinutes(ADDRESS_POLICY, 29)).toBe(0);
  expect(lockoutMinutes(ADDRESS_POLICY, 31)).toBe(15);
});

test('the schedule lists every count until the lock stops growing', () => {
  expect(lockoutSchedule(ACCOUNT_POLICY)).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60]);
  expect(lockoutSchedule(ADDRESS_POLICY)).toHaveLength(30);
});

test('more failures never shorten the wait, and no wait exceeds the cap', () => {
  fc.assert(
    fc.property(fc.constantFrom(ACCOUNT_POLICY, ADDRESS_POLICY), fc.nat(500), (policy, n) => {
      expect(lockoutMinutes(policy, n + 1)).toBeGreaterThanOrEqual(lockoutMinutes(policy, n));
      expect(lockoutMinutes(policy, n)).toBeLessThanOrEqual(policy.maxLockMinutes);
    }),
  );
});
