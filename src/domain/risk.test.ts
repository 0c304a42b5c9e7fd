import { expect, test } from 'vitest';
import { assessRisk, type RiskInput } from './risk.ts';

const now = new Date('2026-06-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const calm: RiskInput = {
  passwordChangedAt: hoursAgo(24 * 200),
  contactsChangedAt: null,
  failedSignInsLastDay: 0,
  lastSimChangeAt: null,
  blockedAt: null,
  lockLiftedAt: null,
  recentRequests: 0,
  accountName: 'Иванова Анна Сергеевна',
  contactName: 'Анна Сергеевна Иванова',
  documentMismatch: false,
  now,
};

test('an ordinary request scores zero, whatever the word order or ё in the name', () => {
  expect(assessRisk(calm)).toEqual({ score: 0, signals: [] });
  expect(assessRisk({ ...calm, accountName: 'Королёв Иван', contactName: 'королев иван' }).score).toBe(0);
});

test('the swap pattern adds up and is capped at 100', () => {
  const swap = assessRisk({
    ...calm,
    passwordChangedAt: hoursAgo(2),
    contactsChangedAt: hoursAgo(1),
    failedSignInsLastDay: 5,
    lastSimChangeAt: hoursAgo(24 * 3),
    contactName: 'Someone Else',
    blockedAt: hoursAgo(0.5),
  });
  expect(swap.signals).toEqual([
    'password_changed_recently',
    'contacts_changed_recently',
    'failed_sign_ins',
    'recent_sim_change',
    'name_mismatch',
    'blocked_just_before',
  ]);
  expect(swap.score).toBe(100);
  expect(assessRisk({ ...calm, failedSignInsLastDay: 2 }).score).toBe(0);
  expect(assessRisk({ ...calm, lastSimChangeAt: hoursAgo(24 * 31) }).score).toBe(0);
});

test('each signal starts at its threshold', () => {
  expect(assessRisk({ ...calm, failedSignInsLastDay: 3 }).signals).toEqual(['failed_sign_ins']);
  expect(assessRisk({ ...calm, blockedAt: hoursAgo(1) }).signals).toEqual([]);
  expect(assessRisk({ ...calm, blockedAt: hoursAgo(0.99) }).signals).toEqual(['blocked_just_before']);
  expect(assessRisk({ ...calm, passwordChangedAt: hoursAgo(24 * 7) }).signals).toEqual([]);
});

test('names match whatever the spacing, but not when the words differ', () => {
  expect(assessRisk({ ...calm, contactName: '  Анна   Сергеевна\tИванова ' }).signals).toEqual([]);
  expect(assessRisk({ ...calm, contactName: 'Анна Иванова' }).signals).toEqual(['name_mismatch']);
  expect(assessRisk({ ...calm, contactName: 'АннаСергеевна Иванова' }).signals).toEqual(['name_mismatch']);
});

test('a SIM-change lock lifted in the last week, and a third request in a month, are signals', () => {
  expect(assessRisk({ ...calm, lockLiftedAt: hoursAgo(24 * 6) }).signals).toEqual(['lock_lifted_recently']);
  expect(assessRisk({ ...calm, lockLiftedAt: hoursAgo(24 * 8) }).signals).toEqual([]);
  expect(assessRisk({ ...calm, lockLiftedAt: new Date(now.getTime() + 3_600_000) }).signals).toEqual([]);
  expect(assessRisk({ ...calm, recentRequests: 1 }).signals).toEqual([]);
  expect(assessRisk({ ...calm, recentRequests: 2 })).toEqual({ score: 15, signals: ['many_requests'] });
});

test("a document other than the contract's is a signal", () => {
  expect(assessRisk({ ...calm, documentMismatch: true })).toEqual({ score: 25, signals: ['document_mismatch'] });
});
