import { generate } from 'otplib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { unlockStaffSignIn } from '../../src/app/admin/team.ts';
import { StaffForbidden } from '../../src/app/requests/staff-step.ts';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import { checkStaffPassword, confirmTotp } from '../../src/app/staff/staff-sign-in.ts';
import type { Database } from '../../src/db/client.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testConfig } from '../support/test-config.ts';

let database: Database;
let staff: Staff;
let operatorId: string;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
  operatorId = staff.admin.operatorId;
});
afterAll(() => database.close());

const signIn = (email: string, password: string, ip: string) =>
  checkStaffPassword(database.db, { operatorId, email, password, ip });
const answers = async (n: number, attempt: () => Promise<{ ok: boolean; error?: string }>) => {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = await attempt();
    seen.push(a.ok ? 'ok' : String(a.error));
  }
  return seen;
};

test('a stranger who knows a staff e-mail locks only their own address; the member signs in from theirs and is told', async () => {
  const tried = await answers(8, () => signIn('logistics@volna.example', 'wrong password', '198.51.100.66'));
  expect(tried.slice(0, 5)).toEqual(Array(5).fill('auth.invalid'));
  expect(tried.at(-1)).toBe('auth.locked');
  expect((await signIn('logistics@volna.example', DEMO_STAFF_PASSWORD, '198.51.100.66')).ok).toBe(false);
  expect((await signIn('logistics@volna.example', DEMO_STAFF_PASSWORD, '203.0.113.5')).ok).toBe(true);
  const told = await database.raw.query<{ to: string; text: string }>(
    "select payload->>'to' \"to\", payload->>'text' text from outbox where idempotency_key like 'staff-failures:%'",
  );
  expect(told).toHaveLength(1);
  expect(told[0]?.to).toBe('logistics@volna.example');
  expect(told[0]?.text).toContain('198.51.100.66');
});

test('an administrator unlocks a member, audited; failures from many addresses only slow the member down', async () => {
  expect((await signIn('logistics@volna.example', DEMO_STAFF_PASSWORD, '198.51.100.66')).ok).toBe(false);
  const unlocked = await unlockStaffSignIn(database.db, staff.admin, staff.logistics.staffId);
  expect(unlocked.ok && unlocked.value).toBeGreaterThan(0);
  expect((await signIn('logistics@volna.example', DEMO_STAFF_PASSWORD, '198.51.100.66')).ok).toBe(true);
  const [audit] = await database.raw.query<{ n: number }>(
    "select count(*)::int n from audit_log where action = 'staff.sign_in_unlocked'",
  );
  expect(audit?.n).toBe(1);
  await expect(unlockStaffSignIn(database.db, staff.reviewer, staff.logistics.staffId)).rejects.toBeInstanceOf(
    StaffForbidden,
  );

  // 31 addresses, 1 wrong password each: the member is slowed for minutes, not locked for an hour.
  const now = new Date();
  for (let i = 0; i < 31; i++)
    await checkStaffPassword(database.db, {
      operatorId,
      email: 'reviewer@volna.example',
      password: 'wrong',
      ip: `192.0.2.${i + 1}`,
      now,
    });
  const slowed = await checkStaffPassword(database.db, {
    operatorId,
    email: 'reviewer@volna.example',
    password: DEMO_STAFF_PASSWORD,
    ip: '203.0.113.9',
    now,
  });
  expect(slowed).toEqual({ ok: false, error: 'auth.locked' });
  const later = await checkStaffPassword(database.db, {
    operatorId,
    email: 'reviewer@volna.example',
    password: DEMO_STAFF_PASSWORD,
    ip: '203.0.113.9',
    now: new Date(now.getTime() + 6 * 60_000),
  });
  expect(later.ok).toBe(true);
});

test('someone with only the password locks the second step for their own address, not the owner’s', async () => {
  const staffId = staff.store_agent.staffId;
  const wrong = (ip: string) =>
    confirmTotp(database.db, testConfig.documentKey, { operatorId, staffId, code: '000000', ip });
  const tried = await answers(7, () => wrong('198.51.100.77'));
  expect(tried.at(-1)).toBe('auth.locked');
  const right = await generate({ secret: DEMO_STAFF_TOTP_SECRET });
  const owner = await confirmTotp(database.db, testConfig.documentKey, {
    operatorId,
    staffId,
    code: right,
    ip: '203.0.113.6',
  });
  expect(owner.ok).toBe(true);
});
