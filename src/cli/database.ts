import { join } from 'node:path';
import type { Config } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { DataDirInUse } from '../db/data-dir-lock.ts';
import { UserError } from '../errors.ts';

/** The configured database, migrated: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  let database: Database | undefined;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      readUrl: config.databaseReadUrl,
      dataDir: join(config.dataDir, 'pglite'),
      poolSize: config.databasePoolSize,
    });
    await database.migrate();
    return database;
  } catch (error) {
    await database?.close().catch(() => {});
    throw unreachable(error, config.databaseUrl);
  }
}

const CONNECTION_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'];
const SERVER_CODES: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the role may not sign in',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up or shutting down',
};

/** The driver's code, under the query builder's wrapper (`cause`) or among the addresses tried (`AggregateError`). */
function codeOf(error: unknown): string {
  for (
    let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    const inner = e.errors?.find((x) => typeof (x as { code?: unknown }).code === 'string') as
      | { code: string }
      | undefined;
    if (inner) return inner.code;
  }
  return '';
}

/** A database that cannot be opened, in one line that says what to check, instead of a stack trace. */
function unreachable(error: unknown, url: string | undefined): unknown {
  if (error instanceof DataDirInUse) return new UserError(error.message);
  const code = codeOf(error);
  const where = url ? new URL(url).host : 'the embedded database';
  if (CONNECTION_CODES.includes(code))
    return new UserError(`Cannot reach PostgreSQL at ${where} (${code}): check DATABASE_URL and that the server runs.`);
  if (SERVER_CODES[code])
    return new UserError(
      `PostgreSQL at ${where} refused the connection: ${SERVER_CODES[code]} (${code}); check DATABASE_URL.`,
    );
  return error;
}
