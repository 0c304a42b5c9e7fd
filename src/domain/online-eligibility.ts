import { isSimChangeLocked, type SimChangeLock } from './sim-change-lock.ts';

/**
 * Whether a subscriber may replace a SIM online right now. Everything refused here can still be
 * done in a service center with a passport, which is what the refusal page says.
 */
export type OnlinePolicy = 'everyone' | 'citizens_only' | 'nobody';

export type EligibilityInput = {
  lock: SimChangeLock;
  frozen: boolean;
  policy: OnlinePolicy;
  citizenship: string;
  operatorCountry: string;
  /** Credential or contact changes start a cooling-off period, the classic set-up for a SIM swap. */
  passwordChangedAt: Date | null;
  contactsChangedAt: Date | null;
  coolingOffHours: number;
  /** An e-mail or a second phone for the second factor: the line itself may be in a thief's hands. */
  hasSecondFactorContact: boolean;
  now: Date;
};

export type Ineligibility =
  | { reason: 'eligibility.frozen' }
  | { reason: 'eligibility.locked' }
  | { reason: 'eligibility.in_person_only' }
  | { reason: 'eligibility.no_second_factor' }
  | { reason: 'eligibility.cooling_off'; until: Date };

export function onlineIneligibility(input: EligibilityInput): Ineligibility | null {
  if (input.frozen) return { reason: 'eligibility.frozen' };
  if (isSimChangeLocked(input.lock, input.now)) return { reason: 'eligibility.locked' };
  if (input.policy === 'nobody') return { reason: 'eligibility.in_person_only' };
  if (input.policy === 'citizens_only' && input.citizenship !== input.operatorCountry)
    return { reason: 'eligibility.in_person_only' };
  if (!input.hasSecondFactorContact) return { reason: 'eligibility.no_second_factor' };
  const changes = [input.passwordChangedAt, input.contactsChangedAt].filter((d): d is Date => d !== null);
  const lastChange = Math.max(0, ...changes.map((d) => d.getTime()));
  const until = new Date(lastChange + input.coolingOffHours * 3_600_000);
  if (until > input.now) return { reason: 'eligibility.cooling_off', until };
  return null;
}
