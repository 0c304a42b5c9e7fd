import { seedDemo } from '../../src/app/seed/seed.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from './db.ts';

export const testConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

/** A test database with the demo operators, centers, stock, subscribers and staff. */
export async function seededDatabase(): Promise<Database> {
  const database = await testDatabase();
  await seedDemo(database, testConfig.documentKey);
  return database;
}
