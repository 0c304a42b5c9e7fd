import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exchangeResetCode, resetPassword, sendPasswordReset } from '../../src/app/auth/password-reset.ts';
import { secondFactorChannels, sendSecondFactorCode } from '../../src/app/auth/second-factor.ts';
import { signIn } from '../../src/app/auth/sign-in.ts';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import type { Database } from '../../src/db/client.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from '../../src/domain/lockout.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testLinks } from '../support/test-config.ts';

/**
 * Sign-in lockout that protects the owner and cannot be turned against them: counted per
 * account and per address, atomically even for attempts in parallel, never extended by
 * refused attempts, capped, and ended by a password reset.
 */
let database: Database;
let operator: { id: string; name: Record<'ru' | 'en' | 'zh', string>; publicUrl: string | null; hostnames: string[] };
beforeAll(async () => {
  database = await seededDatabase();
  const [row] = await database.raw.query<{ id: string; name: Record<'ru' | 'en' | 'zh', string>; hostnames: string[] }>(
    `select id, name, hostnames from operators where slug = 'volna'`,
  );
  operator = { ...row!, publicUrl: null };
});
afterAll(() => database.close());

let nextAddress = 1;
/** Each test from an address of its own, so address limits of one do not spill into another. */
const address = () => `10.9.${Math.floor(nextAddress / 250)}.${nextAddress++ % 250}`;
const attempt = (phone: string, password: string, ip: string, now?: Date) =>
  signIn(database.db, { operatorId: operator.id, phone, password, ip, ...(now && { now }) });
const outcomes = (results: { ok: boolean; error?: string }[]) => results.map((r) => (r.ok ? 'ok' : r.error)).sort();
const lockOf = async (accountOf: string) =>
  (
    await database.raw.query<{ until: Date | null }>(
      `select t.locked_until as until from login_throttle t
        where t.key = 'account:' || (select account_id from lines where msisdn = $1)`,
      [accountOf],
    )
  )[0]?.until ?? null;

describe('per account', () => {
  test('failures through any of its numbers add up: two lines give no extra tries', async () => {
    const ip = address();
    for (let i = 0; i < 3; i++) await attempt('+79161110001', 'wrong', ip);
    for (let i = 0; i < 2; i++) await attempt('+79161110003', 'wrong', ip);
    expect(await attempt('+79161110001', DEMO_PASSWORD, ip)).toEqual({ ok: false, error: 'auth.locked' });
    expect(await attempt('+79161110003', DEMO_PASSWORD, ip)).toEqual({ ok: false, error: 'auth.locked' });
  });

  test('attempts in parallel are counted one by one: exactly the free ones are checked', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => attempt('+79161110021', `wrong-${i}`, address())),
    );
    expect(outcomes(results)).toEqual([
      ...Array(ACCOUNT_POLICY.free).fill('auth.invalid'),
      ...Array(10 - ACCOUNT_POLICY.free).fill('auth.locked'),
    ]);
  });

  test('refused attempts during a lock do not extend it, and no lock outlasts the cap', async () => {
    const ip = address();
    const start = new Date();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await attempt('+79161110031', 'wrong', ip, start);
    const until = await lockOf('+79161110031');
    expect(until).not.toBeNull();
    for (let i = 0; i < 20; i++)
      expect(await attempt('+79161110031', 'wrong', ip, new Date(start.getTime() + i * 1000))).toEqual({
        ok: false,
        error: 'auth.locked',
      });
    expect(await lockOf('+79161110031')).toEqual(until);

    let now = start.getTime();
    for (let i = 0; i < 30; i++) {
      now = Math.max(now, ((await lockOf('+79161110031'))?.getTime() ?? now) + 1);
      await attempt('+79161110031', 'wrong', ip, new Date(now));
    }
    const last = (await lockOf('+79161110031')) as Date;
    expect(last.getTime() - now).toBeLessThanOrEqual(ACCOUNT_POLICY.maxLockMinutes * 60_000);
  });

  test('a number nobody owns is locked exactly like one somebody does', async () => {
    const ip = address();
    const known = [];
    const unknown = [];
    for (let i = 0; i <= ACCOUNT_POLICY.free; i++) {
      known.push(await attempt('+79161110041', 'wrong', ip));
      unknown.push(await attempt('+79169998877', 'wrong', ip));
    }
    expect(unknown).toEqual(known);
  });

  test('a password reset, which proves the e-mail or second phone, ends the lockout', async () => {
    const ip = address();
    for (let i = 0; i < ACCOUNT_POLICY.free + 2; i++) await attempt('+79161110061', 'wrong', ip);
    expect(await attempt('+79161110061', DEMO_PASSWORD, ip)).toEqual({ ok: false, error: 'auth.locked' });
    const asked = { operatorId: operator.id, phone: '+79161110061', channel: 'sms' as const, ip };
    await sendPasswordReset(database.db, testLinks, { ...asked, at: new Date().toISOString() });
    const [sms] = await database.raw.query<{ text: string }>(
      `select payload->>'text' text from outbox where payload->>'to' = '+79161110062' order by id desc limit 1`,
    );
    const code = sms?.text.match(/\b\d{6}\b/)?.[0] as string;
    const token = await exchangeResetCode(database.db, { operatorId: operator.id, phone: '+79161110061', code, ip });
    const fresh = 'a brand new pass phrase';
    expect(await resetPassword(database.db, { operator, token: token as string, password: fresh, ip })).toEqual({
      ok: true,
      value: null,
    });
    expect(await attempt('+79161110061', fresh, ip)).toMatchObject({ ok: true });
  });
});

test('one address trying many numbers is stopped, also in parallel; a success gives back only its own count', async () => {
  const ip = address();
  expect(await attempt('+79161110071', DEMO_PASSWORD, ip)).toMatchObject({ ok: true });
  const numbers = Array.from({ length: ADDRESS_POLICY.free + 10 }, (_, i) => `+7916555${String(i).padStart(4, '0')}`);
  const results = await Promise.all(numbers.map((phone) => attempt(phone, 'wrong', ip)));
  expect(outcomes(results)).toEqual([
    ...Array(ADDRESS_POLICY.free).fill('auth.invalid'),
    ...Array(10).fill('auth.rate_limited'),
  ]);
});

test('a second phone that is a line of the same account never receives a code', async () => {
  await database.raw.query(
    `update accounts set second_phone = '+79161110072' where id = (select account_id from lines where msisdn = '+79161110071')`,
  );
  const [account] = await database.raw.query<{ id: string }>(
    `select account_id as id from lines where msisdn = '+79161110071'`,
  );
  const actor = { operatorId: operator.id, accountId: account!.id, sessionId: 'none' };
  expect(await secondFactorChannels(database.db, actor)).toMatchObject({ sms: null });
  expect(await sendSecondFactorCode(database.db, actor, 'sms')).toEqual({
    ok: false,
    error: 'second_factor.no_channel',
  });
  const asked = { operatorId: operator.id, phone: '+79161110071', channel: 'sms' as const, ip: address() };
  await sendPasswordReset(database.db, testLinks, { ...asked, at: new Date().toISOString() });
  expect(
    await database.raw.query(`select 1 from outbox where payload->>'to' = '+79161110072' and topic = 'sms.send'`),
  ).toEqual([]);
});
