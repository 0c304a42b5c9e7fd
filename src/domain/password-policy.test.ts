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
