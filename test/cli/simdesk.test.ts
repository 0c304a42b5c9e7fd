import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { appendAudit } from '../../src/app/audit/audit-log.ts';
import { checkSharedSecrets } from '../../src/app/platform/shared-secrets.ts';
import { runCli } from '../../src/cli/program.ts';
import { completeIccid } from '../../src/domain/iccid.ts';
import { cliDatabase } from '../support/db.ts';

const exec = promisify(execFile);
let target: Awaited<ReturnType<typeof cliDatabase>>;
const dir = mkdtempSync(join(tmpdir(), 'simdesk-csv-'));

beforeAll(async () => {
  target = await cliDatabase('seeded');
  await (await target.open()).close();
});
afterAll(() => target.drop());

/** Runs the command line in this process, as the shell would, capturing what it prints. */
async function simdesk(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const term = { out: (l: string) => stdout.push(l), err: (l: string) => stderr.push(l), tty: null };
  const code = await runCli(args, term, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUDIT_CHECKPOINT_DIR: join(dir, 'audit-checkpoints'),
    ...target.env,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function stock(): Promise<number> {
  const database = await target.open();
  try {
    return Number((await database.raw.query<{ n: string }>('select count(*) n from sims'))[0]!.n);
  } finally {
    await database.close();
  }
}

test('import inventory names the bad line and, with --all-or-nothing, imports nothing', async () => {
  const iccid = (n: number) => completeIccid(`8970177${String(n).padStart(11, '0')}`);
  const good = iccid(2);
  const badCheckDigit = `${good.slice(0, -1)}${(Number(good.at(-1)) + 5) % 10}`;
  const file = join(dir, 'stock.csv');
  writeFileSync(
    file,
    [
      'iccid,imsi,form_factor,center',
      `${iccid(1)},250977770000001,nano,MSK-TVER`,
      `${badCheckDigit},250977770000002,nano,MSK-TVER`,
      `${iccid(3)},250977770000003,nano,`,
    ].join('\n'),
  );
  const before = await stock();

  const strict = await simdesk('import', 'inventory', file, '--operator', 'volna', '--all-or-nothing');
  expect(strict.code).toBe(1);
  expect(strict.stderr).toContain('line 3: The ICCID check digit is wrong');
  expect(strict.stdout).toContain('nothing imported');
  expect(await stock()).toBe(before);

  const lenient = await simdesk('import', 'inventory', file, '--operator', 'volna');
  expect(lenient.code).toBe(2);
  expect(lenient.stdout).toContain('3 rows read; 2 imported, 1 rejected');
  expect(await stock()).toBe(before + 2);
});

test('import sim-changes loads the history the SIM Swap API answers from; api-client create prints its credentials once', async () => {
  const file = join(dir, 'changes.csv');
  writeFileSync(
    file,
    [
      'msisdn,changed_at',
      '+79990001001,2026-03-01T10:15:00+03:00',
      '8 999 000-10-02,2026-04-01T08:00:00Z',
      '+79990001003,2026-04-01 08:00',
    ].join('\n'),
  );
  const loaded = await simdesk('import', 'sim-changes', file, '--operator', 'volna');
  expect(loaded.code).toBe(2);
  expect(loaded.stderr).toContain('line 4: changed_at must be a past date and time in RFC 3339 with its time zone');
  const database = await target.open();
  try {
    const rows = await database.raw.query<{ msisdn: string; changed_at: Date; source: string }>(
      "select msisdn, changed_at, source from sim_changes where msisdn like '+7999000100%' order by msisdn",
    );
    expect(rows.map((r) => [r.msisdn, r.changed_at.toISOString(), r.source])).toEqual([
      ['+79990001001', '2026-03-01T07:15:00.000Z', 'import'],
      ['+79990001002', '2026-04-01T08:00:00.000Z', 'import'],
    ]);
  } finally {
    await database.close();
  }
  const created = await simdesk('api-client', 'create', '--operator', 'volna', '--name', 'Bank', '--scope', 'sim-swap');
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/client_id: sd_\S+\nclient_secret: \S{40,}/);
  const refused = await simdesk(
    'api-client',
    'create',
    '--operator',
    'volna',
    '--name',
    'Bank',
    '--scope',
    'everything',
  );
  expect(refused.code).not.toBe(0);
});

test('clear errors for an unknown operator and a missing file', async () => {
  const unknown = await simdesk('import', 'inventory', join(dir, 'stock.csv'), '--operator', 'nope');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('Unknown operator "nope"');
  const missing = await simdesk('import', 'subscribers', join(dir, 'missing.csv'), '--operator', 'volna');
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('no such file');
});

test('staff create prints the generated password and the TOTP enrolment URI', async () => {
  const res = await simdesk(
    'staff',
    'create',
    '--operator',
    'sever',
    '--email',
    'new.reviewer@sever.example',
    '--name',
    'Новый Проверяющий',
    '--role',
    'reviewer',
    'admin',
  );
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/Password: \S{16}/);
  expect(res.stdout).toMatch(/otpauth:\/\/totp\/.*secret=[A-Z2-7]+/);
  const again = await simdesk(
    'staff',
    'create',
    '--operator',
    'sever',
    '--email',
    'x@sever.example',
    '--name',
    'X',
    '--role',
    'janitor',
  );
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain('janitor');
});

test('the installed command starts, and configuration errors name the bad variable', async () => {
  const res = await exec('node', ['bin/simdesk.js', 'migrate'], { env: { ...process.env, PORT: 'eighty' } }).catch(
    (e) => e,
  );
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('PORT');
});

test('audit verify counts an intact chain and names the first edited or missing entry with exit code 1', async () => {
  const database = await target.open();
  try {
    const [volna] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
    for (const action of ['cli.one', 'cli.two', 'cli.three'])
      await database.db.transaction((tx) =>
        appendAudit(tx, { operatorId: volna?.id ?? null, actorKind: 'system', actorId: null, action }),
      );
  } finally {
    await database.close();
  }
  const intact = await simdesk('audit', 'verify', '--operator', 'volna');
  expect(intact.code, intact.stderr).toBe(0);
  expect(intact.stdout).toMatch(
    /^Audit log intact: (\d+) entries verified \((\d+) of them volna's\), matching 0 signed checkpoints\.$/,
  );
  expect((await simdesk('audit', 'checkpoint')).stdout).toMatch(/^Checkpoint of entry \d+ \(\d+ entries\) written\.$/);
  expect((await simdesk('audit', 'verify')).stdout).toContain('matching 1 signed checkpoints');

  const tamper = async (sql: string) => {
    const db = await target.open();
    try {
      await db.raw.query(sql);
    } finally {
      await db.close();
    }
  };
  await tamper(`update audit_log set data = '{"changed":true}' where action = 'cli.two'`);
  const edited = await simdesk('audit', 'verify');
  expect(edited.code).toBe(1);
  expect(edited.stderr).toMatch(/^Audit log broken at entry \d+ \(position \d+ of \d+\): its content was changed/);
  await tamper(`delete from audit_log where action = 'cli.two'`);
  const gap = await simdesk('audit', 'verify');
  expect(gap.code).toBe(1);
  expect(gap.stderr).toContain('the entry before it was deleted');
  await tamper(`delete from audit_log where action = 'cli.three'`);
  const cut = await simdesk('audit', 'verify');
  expect(cut.code).toBe(1);
  expect(cut.stderr).toMatch(
    /^Audit log does not match its checkpoint of \S+ \(entry \d+, \d+ entries\): the log now ends before it/,
  );
  expect((await simdesk('audit', 'verify', '--operator', 'nope')).stderr).toContain('unknown operator "nope"');
});

test.skipIf(Boolean(process.env.DATABASE_URL))(
  'a second process on the same PGlite data directory refuses to start and says why; a lock left by a dead one is taken over',
  async () => {
    const database = await target.open();
    try {
      const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...target.env };
      const second = await exec('node', ['bin/simdesk.js', 'migrate'], { env }).catch((e) => e);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('is in use by another simdesk process');
      expect(second.stderr).toContain(`pid ${process.pid}`);
    } finally {
      await database.close();
    }
    writeFileSync(join(target.env.DATA_DIR as string, 'pglite.lock'), '999999');
    const reopened = await target.open();
    await reopened.close();
  },
);

test('an instance whose secrets differ from those the database was first started with refuses to start, naming them', async () => {
  const database = await target.open();
  await checkSharedSecrets(database.db, {
    SESSION_SECRET: 'the-session-secret-of-the-first-instance-0123',
    DOCUMENT_KEY: Buffer.alloc(32, 9),
  });
  await expect(
    checkSharedSecrets(database.db, {
      SESSION_SECRET: 'the-session-secret-of-the-first-instance-0123',
      DOCUMENT_KEY: Buffer.alloc(32, 9),
    }),
  ).resolves.toBeUndefined();
  await database.close();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...target.env,
    SESSION_SECRET: 'another-session-secret-of-a-second-instance',
    DOCUMENT_KEY: Buffer.alloc(32, 9).toString('base64'),
    PAYMENT_WEBHOOK_SECRET: 'a-payment-webhook-secret-of-forty-characters',
    PORT: '0',
  };
  const second = await exec('node', ['bin/simdesk.js', 'serve'], { env, timeout: 60_000 }).catch((e) => e);
  expect(second.code).toBe(1);
  expect(second.stderr).toContain('SESSION_SECRET differs from the value the other instances on this database use');
  expect(second.stderr).not.toContain('DOCUMENT_KEY');
});

test('a database out of reach and a port in use each give one line saying what to check, and exit code 1', async () => {
  const lines: string[] = [];
  const term = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), tty: null };
  const unreachable = await runCli(['migrate'], term, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://simdesk:wrong@127.0.0.1:1/simdesk',
  });
  expect(unreachable).toBe(1);
  expect(lines).toEqual([
    'Cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED): check DATABASE_URL and that the server runs.',
  ]);
  const busy = createServer().listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const port = (busy.address() as AddressInfo).port;
  lines.length = 0;
  const fresh = await cliDatabase('empty');
  try {
    const served = await runCli(['serve'], term, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
      DEMO: 'false',
      AUDIT_CHECKPOINT_DIR: join(dir, 'audit-checkpoints'),
      ...fresh.env,
    });
    expect(served).toBe(1);
    expect(lines.at(-1)).toBe(`Port ${port} is in use by another program: stop it, or set PORT to a free one.`);
  } finally {
    busy.close();
    await fresh.drop();
  }
});
