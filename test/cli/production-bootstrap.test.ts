import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'otplib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { openDatabase } from '../../src/db/client.ts';
import { completeIccid } from '../../src/domain/iccid.ts';
import { appProcess } from '../support/app-process.ts';
import { adminUrl, withDatabase } from '../support/postgres.ts';
import { Remote } from '../support/remote.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

/**
 * docs/deployment.md's first start, step by step, in production mode on an empty PostgreSQL
 * database: migrate, start, see "not set up yet", create the operator, the administrator sets a
 * password from the e-mailed link and an authenticator, the first subscribers are imported.
 */
const url = process.env.DATABASE_URL;
const name = `simdesk_boot_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'simdesk-boot-'));
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let env: Record<string, string>;

beforeAll(async () => {
  if (!url) return;
  const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
  await admin.raw.query(`CREATE DATABASE ${name}`);
  await admin.close();
  smtp = await startSmtpSink();
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'error',
    DATABASE_URL: withDatabase(url, name),
    SESSION_SECRET: randomBytes(30).toString('base64url'),
    DOCUMENT_KEY: randomBytes(32).toString('base64'),
    PAYMENT_WEBHOOK_SECRET: randomBytes(30).toString('base64url'),
    SMTP_URL: smtp.url,
    MAIL_FROM: 'simdesk@zarya.example',
    PAYMENT_GATEWAY: 'yookassa',
    YOOKASSA_SHOP_ID: '123456',
    YOOKASSA_SECRET_KEY: 'live_secret',
    PROVISIONING: 'http',
    PROVISIONING_URL: 'https://bss.zarya.internal/simdesk',
    PROVISIONING_SECRET: 's'.repeat(40),
    DOCUMENTS_DIR: join(dir, 'documents'),
    AUDIT_CHECKPOINT_DIR: join(dir, 'audit-checkpoints'),
  };
});
afterAll(async () => {
  if (!url) return;
  await smtp.close();
  const admin = await openDatabase({ url: adminUrl(url), poolSize: 1 });
  await admin.raw.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `simdesk operator create` for Zarya, with `changed` flags in place of the good ones. */
const createOperator = (changed: Record<string, string | string[]>) => {
  const flags: Record<string, string | string[]> = {
    slug: 'zarya',
    nameRu: 'Заря',
    nameEn: 'Zarya',
    nameZh: '曙光',
    host: ['localhost', 'sim.zarya.example'],
    timeZone: 'Asia/Novosibirsk',
    currency: 'RUB',
    supportPhone: '+7 383 000-00-00',
    supportEmail: 'help@zarya.example',
    adminName: 'Olga Zorina',
    adminEmail: 'olga@zarya.example',
    ...changed,
  };
  return [
    'operator',
    'create',
    ...Object.entries(flags).flatMap(([name, value]) => [
      `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      ...[value].flat(),
    ]),
  ];
};

async function simdesk(...args: string[]) {
  const lines: string[] = [];
  const term = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), tty: null };
  const code = await runCli(args, term, env);
  return { code, output: lines.join('\n') };
}

test.skipIf(!url)(
  'from an empty PostgreSQL to the first staff sign-in and subscriber import, in production mode',
  async () => {
    expect((await simdesk('migrate')).code).toBe(0);
    const app = appProcess(env);
    await app.start(503);
    try {
      const ready = await fetch(`${app.base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not_set_up',
        reason: expect.stringContaining('operator create'),
      });
      const home = await fetch(`${app.base}/`, { headers: { accept: 'text/html', 'accept-language': 'ru' } });
      expect(home.status).toBe(503);
      expect(await home.text()).toContain('simdesk ещё не настроен');

      const refused = await simdesk(
        ...createOperator({ slug: 'Zarya!', host: ['localhost'], timeZone: 'Mars/Olympus' }),
      );
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain('--slug:');
      expect(refused.output).toContain('--time-zone:');
      const created = await simdesk(...createOperator({}));
      expect(created.code, created.output).toBe(0);
      expect(created.output).not.toMatch(/password:|\/staff\/enrol\//i);

      let mail = smtp.to('olga@zarya.example')[0];
      for (let i = 0; i < 100 && !mail; i++) {
        await sleep(200);
        mail = smtp.to('olga@zarya.example')[0];
      }
      const link = mail?.text?.match(/http\S+\/staff\/enrol\/[\w-]{43}/)?.[0];
      expect(link, 'the enrolment e-mail').toBeDefined();
      expect((await fetch(`${app.base}/readyz`)).status).toBe(200);

      const olga = new Remote(app.base);
      const path = new URL(link as string).pathname;
      await olga.get(path);
      const enrolled = await olga.form(path, { next: 'zarya olga chose this', repeat: 'zarya olga chose this' });
      expect(enrolled.location).toBe('/staff/totp');
      const totp = await olga.get('/staff/totp');
      const secret = totp.body.match(/<code class="secret">([A-Z2-7]+)<\/code>/)?.[1];
      expect(secret).toBeDefined();
      const signedIn = await olga.form('/staff/totp', { code: await generate({ secret: secret as string }) });
      expect(signedIn.location).toBe('/staff/home');
      expect((await olga.get('/staff/home')).status).toBe(200);
      expect((await new Remote(app.base).get(path)).status).toBe(410);

      const csv = join(dir, 'subscribers.csv');
      writeFileSync(
        csv,
        `account_ref,full_name,msisdn,iccid,imsi,email\nA-1,Иван Петров,+7 913 000-00-01,${completeIccid('897019900000000001')},250990000000001,ivan@example.ru\n`,
      );
      const imported = await simdesk('import', 'subscribers', csv, '--operator', 'zarya');
      expect(imported.code, imported.output).toBe(0);
      const audit = await simdesk('audit', 'verify');
      expect(audit.code, audit.output).toBe(0);
    } finally {
      await app.stop();
    }
  },
);
