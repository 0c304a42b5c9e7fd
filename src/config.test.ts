import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('works with no variables at all for local use', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: './data', demo: true });
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

  it('refuses default secrets and a missing database in production', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        'SESSION_SECRET: must be set to a secret of your own in production',
        'DOCUMENT_KEY: must be set to a key of your own in production',
        'PAYMENT_WEBHOOK_SECRET: must be set to the secret shared with the payment gateway in production',
        'DATABASE_URL: is required in production (PostgreSQL)',
        'SMTP_URL: is required in production (e-mail delivery)',
      ]);
    }
  });

  it('starts in production with real secrets, demo off', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DOCUMENT_KEY: Buffer.alloc(32, 1).toString('base64'),
      DATABASE_URL: 'postgres://db/simdesk',
      SMTP_URL: 'smtp://mail.internal:25',
      PAYMENT_WEBHOOK_SECRET: 'w'.repeat(40),
    });
    expect(config.demo).toBe(false);
  });
});
