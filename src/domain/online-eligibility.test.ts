import { expect, test } from 'vitest';
import { type EligibilityInput, onlineIneligibility } from './online-eligibility.ts';

const now = new Date('2026-06-01T12:00:00Z');
const base: EligibilityInput = {
  lock: { on: false, releaseAt: null },
  frozen: false,
  policy: 'everyone',
  citizenship: 'CN',
  operatorCountry: 'RU',
  passwordChangedAt: new Date('2026-01-01T00:00:00Z'),
  contactsChangedAt: null,
  coolingOffHours: 72,
  hasSecondFactorContact: true,
  now,
};

test('an account in good standing may replace online', () => {
  expect(onlineIneligibility(base)).toBeNull();
});

test('a frozen account, the lock (also while it is being released) and the policy each refuse', () => {
  expect(onlineIneligibility({ ...base, frozen: true })?.reason).toBe('eligibility.frozen');
  expect(onlineIneligibility({ ...base, lock: { on: true, releaseAt: null } })?.reason).toBe('eligibility.locked');
  const releasing = { on: true, releaseAt: new Date(now.getTime() + 3_600_000) };
  expect(onlineIneligibility({ ...base, lock: releasing })?.reason).toBe('eligibility.locked');
  expect(onlineIneligibility({ ...base, lock: { on: true, releaseAt: new Date(now.getTime() - 1) } })).toBeNull();
  expect(onlineIneligibility({ ...base, policy: 'nobody', citizenship: 'RU' })?.reason).toBe(
    'eligibility.in_person_only',
  );
  expect(onlineIneligibility({ ...base, policy: 'citizens_only' })?.reason).toBe('eligibility.in_person_only');
  expect(onlineIneligibility({ ...base, policy: 'citizens_only', citizenship: 'RU' })).toBeNull();
  expect(onlineIneligibility({ ...base, hasSecondFactorContact: false })?.reason).toBe('eligibility.no_second_factor');
});

test('a recent password or contact change starts a cooling-off period, ending at the later change plus the period', () => {
  const contactsChangedAt = new Date(now.getTime() - 10 * 3_600_000);
  expect(onlineIneligibility({ ...base, contactsChangedAt })).toEqual({
    reason: 'eligibility.cooling_off',
    until: new Date(contactsChangedAt.getTime() + 72 * 3_600_000),
  });
  expect(onlineIneligibility({ ...base, contactsChangedAt, coolingOffHours: 10 })).toBeNull();
});
