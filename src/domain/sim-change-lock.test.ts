import fc from 'fast-check';
import { expect, test } from 'vitest';
import { isSimChangeLocked, lockState, requestLock } from './sim-change-lock.ts';

const now = new Date('2026-11-25T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

test('on at once; off only after the waiting period; on again cancels the release', () => {
  const on = requestLock({ on: false, releaseAt: null }, true, 24, now);
  expect(lockState(on, now)).toEqual({ state: 'on' });
  const releasing = requestLock(on, false, 24, now);
  expect(lockState(releasing, hours(23))).toEqual({ state: 'releasing', releaseAt: hours(24) });
  expect(isSimChangeLocked(releasing, hours(23.9))).toBe(true);
  expect(isSimChangeLocked(releasing, hours(24))).toBe(false);
  expect(requestLock(releasing, false, 24, hours(1))).toEqual(releasing);
  expect(lockState(requestLock(releasing, true, 24, hours(1)), hours(100))).toEqual({ state: 'on' });
});

test('a lock that is on stays on for the whole waiting period, whatever is asked', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ on: fc.boolean(), after: fc.integer({ min: 0, max: 30 }) })), (steps) => {
      let lock = requestLock({ on: false, releaseAt: null }, true, 24, now);
      let t = now.getTime();
      for (const step of steps) {
        t += step.after * 3_600_000;
        const fullyOn = lockState(lock, new Date(t)).state === 'on';
        lock = requestLock(lock, step.on, 24, new Date(t));
        if (fullyOn) expect(isSimChangeLocked(lock, new Date(t + 24 * 3_600_000 - 1))).toBe(true);
      }
    }),
  );
});

test('asking to turn off a lock that is already off, or whose release has passed, leaves it off for good', () => {
  const off = { on: false, releaseAt: null };
  expect(requestLock(off, false, 24, now)).toEqual(off);
  expect(requestLock({ on: true, releaseAt: hours(-1) }, false, 24, now)).toEqual(off);
});
