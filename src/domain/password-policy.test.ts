import { expect, test } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.ts';

test('long enough passwords of any characters pass; short, huge and own numbers do not', () => {
  expect(passwordProblem('correct horse battery', [])).toBeNull();
  expect(passwordProblem('пароль-для-сим', [])).toBeNull();
  expect(passwordProblem('密码密码密码密码密码密', [])).toBeNull();
  expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH - 1), [])).toBe('password.too_short');
  expect(passwordProblem('x'.repeat(129), [])).toBe('password.too_long');
  expect(passwordProblem('8 916 111-00-01', ['+79161110001'])).toBe('password.is_number');
  expect(passwordProblem('8 916 111-00-01', ['+79161110002'])).toBeNull();
});

test('the length limits are inclusive and count characters, not bytes', () => {
  expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH), [])).toBeNull();
  expect(passwordProblem('x'.repeat(128), [])).toBeNull();
  expect(passwordProblem('🔑'.repeat(MIN_PASSWORD_LENGTH), [])).toBeNull();
  expect(passwordProblem('密'.repeat(128), [])).toBeNull();
});

test('any of the account numbers counts, by its last ten digits; shorter digit runs are fine', () => {
  const numbers = ['+79161110001', '+79035550011'];
  expect(passwordProblem('call me at 9035550011', numbers)).toBe('password.is_number');
  expect(passwordProblem('+7 (916) 111-00-01', numbers)).toBe('password.is_number');
  expect(passwordProblem('abc-916111000', ['+7916111000'])).toBeNull();
  expect(passwordProblem('9161110001 and 7', numbers)).toBeNull();
  expect(passwordProblem('abc12345678901', numbers)).toBeNull();
});
