import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configuredAuditAnchor } from '../../src/app/audit/audit-log.ts';
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
  AUDIT_CHECKPOINT_DIR: join(tmpdir(), `simdesk-test-audit-checkpoints-${process.pid}`),
});

/** The audit log's anchor of the tests: the test key, checkpoints in `dir` (a test's own, to write some). */
export const testAuditAnchor = (dir = testConfig.auditCheckpointDir) =>
  configuredAuditAnchor({ auditKey: testConfig.auditKey, auditCheckpointDir: dir });

export const testLinks = operatorLinks(testConfig.publicUrl, testConfig.sessionSecret);
