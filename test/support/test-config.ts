import { loadConfig } from '../../src/config.ts';

export const testConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
