import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorLinks } from '../../src/app/operators/links.ts';
import { loadConfig } from '../../src/config.ts';

export const testConfig = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DOCUMENTS_DIR: join(tmpdir(), `simdesk-test-documents-${process.pid}`),
});

export const testLinks = operatorLinks(testConfig.publicUrl, testConfig.sessionSecret);
