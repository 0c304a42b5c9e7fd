import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorLinks } from '../../src/app/operators/links.ts';
import { loadConfig } from '../../src/config.ts';

export const testConfig = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  // Fixed, so the template database seeded once and every test worker share them.
  SESSION_SECRET: 'test-session-secret-of-forty-characters!',
  DOCUMENT_KEY: Buffer.alloc(32, 7).toString('base64'),
  PAYMENT_WEBHOOK_SECRET: 'test-payment-webhook-secret-of-forty-chars',
  DOCUMENTS_DIR: join(tmpdir(), `simdesk-test-documents-${process.pid}`),
});

export const testLinks = operatorLinks(testConfig.publicUrl, testConfig.sessionSecret);
