import type { Database } from '../../src/db/client.ts';
import { testDatabase } from './db.ts';

/** A test database of its own with the demo operators, centers, stock, subscribers and staff. */
export const seededDatabase = (): Promise<Database> => testDatabase('seeded');
