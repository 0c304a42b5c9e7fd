export type PasswordProblem = 'password.too_short' | 'password.too_long' | 'password.is_number';

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 128;

/**
 * Length rules in the spirit of NIST SP 800-63B (long enough, no composition rules), plus one
 * check that matters here: the password must not be one of the account's own phone numbers.
 */
export function passwordProblem(password: string, msisdns: readonly string[]): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'password.too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'password.too_long';
  const digits = password.replace(/\D/g, '');
  if (digits.length >= 10 && msisdns.some((m) => m.endsWith(digits.slice(-10)))) return 'password.is_number';
  return null;
}
