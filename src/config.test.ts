import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('works with no variables at all for local use', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'simdesk-config-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir, demo: true });
    expect(config.documentKey).toHaveLength(32);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' });
    } catch (e) {
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL: must be a postgres:// URL');
      expect(problems).toContain('SESSION_SECRET: must be at least 32 characters');
    }
  });

  it('the demo, whose passwords are published, listens on this machine only unless told otherwise', () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'simdesk-config-'));
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('documents in an S3 bucket: the bucket is required, keys come in pairs, an endpoint addresses buckets by path', () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'simdesk-config-'));
    expect(() => loadConfig({ DATA_DIR, DOCUMENT_STORAGE: 's3', S3_ACCESS_KEY_ID: 'k' })).toThrow(
      /S3_BUCKET: is required with DOCUMENT_STORAGE=s3[\s\S]*S3_SECRET_ACCESS_KEY/,
    );
    const config = loadConfig({
      DATA_DIR,
      DOCUMENT_STORAGE: 's3',
      S3_BUCKET: 'docs',
      S3_ENDPOINT: 'https://storage.yandexcloud.net',
      S3_REGION: 'ru-central1',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
    });
    expect(config.documentStorage).toEqual({
      kind: 's3',
      bucket: 'docs',
      region: 'ru-central1',
      endpoint: 'https://storage.yandexcloud.net',
      forcePathStyle: true,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    expect(loadConfig({ DATA_DIR }).documentStorage).toEqual({ kind: 'local' });
  });

  it("audit checkpoints in a bucket of their own, with the S3 settings, never the documents' bucket", () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'simdesk-config-'));
    const s3 = { DATA_DIR, DOCUMENT_STORAGE: 's3', S3_BUCKET: 'docs', S3_ENDPOINT: 'http://minio:9000' };
    expect(loadConfig({ ...s3, AUDIT_CHECKPOINT_BUCKET: 'audit' }).auditCheckpointBucket).toMatchObject({
      bucket: 'audit',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
    });
    expect(loadConfig(s3).auditCheckpointBucket).toBeUndefined();
    expect(() => loadConfig({ ...s3, AUDIT_CHECKPOINT_BUCKET: 'docs' })).toThrow(
      /AUDIT_CHECKPOINT_BUCKET: must not be the documents' bucket/,
    );
  });

  it('a read replica is a replica of DATABASE_URL', () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'simdesk-config-'));
    expect(() => loadConfig({ DATA_DIR, DATABASE_READ_URL: 'postgres://replica/simdesk' })).toThrow(
      /DATABASE_READ_URL: is a replica of DATABASE_URL: set both/,
    );
    expect(
      loadConfig({
        DATA_DIR,
        DATABASE_URL: 'postgres://primary/simdesk',
        DATABASE_READ_URL: 'postgres://replica/simdesk',
      }).databaseReadUrl,
    ).toBe('postgres://replica/simdesk');
  });

  it('secrets can come from files (NAME_FILE), as mounted Docker and Kubernetes secrets', () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'simdesk-config-'));
    const file = join(DATA_DIR, 'session-secret');
    writeFileSync(file, `${'f'.repeat(40)}\n`);
    expect(loadConfig({ DATA_DIR, SESSION_SECRET_FILE: file }).sessionSecret).toBe('f'.repeat(40));
    expect(() => loadConfig({ DATA_DIR, SESSION_SECRET_FILE: file, SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      'SESSION_SECRET: set it or SESSION_SECRET_FILE, not both',
    );
    expect(() => loadConfig({ DATA_DIR, DOCUMENT_KEY_FILE: join(DATA_DIR, 'missing') })).toThrow(
      /DOCUMENT_KEY_FILE: cannot read .* \(ENOENT\)/,
    );
  });

  it('refuses default secrets and a missing database in production', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        'PAYMENT_GATEWAY: is the sandbox, which takes test cards and moves no money: set PAYMENT_GATEWAY=yookassa, or SIMULATORS_ALLOWED=true for a staging deployment',
        'PROVISIONING: is the simulator, which never touches the network: set PROVISIONING=http, or SIMULATORS_ALLOWED=true for a staging deployment',
        'SESSION_SECRET: must be set to a secret of your own in production',
        'DOCUMENT_KEY: must be set to a key of your own in production',
        'PAYMENT_WEBHOOK_SECRET: must be set to the secret shared with the payment gateway in production',
        'DATABASE_URL: is required in production (PostgreSQL)',
        'SMTP_URL: is required in production (e-mail delivery)',
      ]);
    }
  });

  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    DOCUMENT_KEY: Buffer.alloc(32, 1).toString('base64'),
    DATABASE_URL: 'postgres://db/simdesk',
    SMTP_URL: 'smtp://mail.internal:25',
    PAYMENT_GATEWAY: 'yookassa',
    YOOKASSA_SHOP_ID: '123456',
    YOOKASSA_SECRET_KEY: 'live_secret',
    PROVISIONING: 'http',
    PROVISIONING_URL: 'https://bss.operator.internal/simdesk',
    PROVISIONING_SECRET: 's'.repeat(40),
  };

  it('starts in production with real adapters and secrets, demo off', () => {
    const config = loadConfig(production);
    expect(config.demo).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(loadConfig({ ...production, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
    expect(config.payments).toMatchObject({ gateway: 'yookassa', checkoutOrigin: 'https://yoomoney.ru' });
    expect(config.provisioning).toMatchObject({ kind: 'http', timeoutMs: 10_000 });
    expect(config.carrier).toEqual({ kind: 'manual' });
  });

  it('refuses a simulator in production, naming the setting, unless staging allows them', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ ...production, PAYMENT_GATEWAY: 'sandbox' })).toEqual([
      expect.stringMatching(/^PAYMENT_GATEWAY: is the sandbox.*SIMULATORS_ALLOWED=true/),
      'PAYMENT_WEBHOOK_SECRET: must be set to the secret shared with the payment gateway in production',
    ]);
    expect(problems({ ...production, PROVISIONING: 'simulator' })).toEqual([
      expect.stringMatching(/^PROVISIONING: is the simulator.*SIMULATORS_ALLOWED=true/),
    ]);
    expect(problems({ ...production, CARRIER: 'simulator' })).toEqual([
      expect.stringMatching(/^CARRIER: is the simulator.*SIMULATORS_ALLOWED=true/),
    ]);
    const staging = {
      ...production,
      PAYMENT_GATEWAY: 'sandbox',
      PROVISIONING: 'simulator',
      CARRIER: 'simulator',
      SIMULATORS_ALLOWED: 'true',
    };
    expect(problems({ ...staging, PAYMENT_WEBHOOK_SECRET: 'w'.repeat(40) })).toEqual([]);
    expect(loadConfig({ ...staging, PAYMENT_WEBHOOK_SECRET: 'w'.repeat(40) }).carrier).toMatchObject({
      kind: 'simulator',
      webhookSecret: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(problems({ PAYMENT_GATEWAY: 'yookassa' })).toEqual([
      'YOOKASSA_SHOP_ID: is required with PAYMENT_GATEWAY=yookassa',
      'YOOKASSA_SECRET_KEY: is required with PAYMENT_GATEWAY=yookassa',
    ]);
  });
});
