import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type QueryOptions, types } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { isDatabaseUnavailable, isRetryableConflict, retryingConflicts } from './conflicts.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { PgNotifications } from './pg-notifications.ts';
import * as schema from './schema/index.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Plain SQL for the few paths Drizzle does not cover: COPY and catalogue queries. */
export type RawTx = {
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `COPY … FROM STDIN` with CSV text as input. */
  copyCsv(copySql: string, csv: string): Promise<void>;
};

/** Called with a notification's payload; `null` when notifications may have been missed. */
export type ChangeListener = (payload: string | null) => void;

/** A streaming replica that takes reads which tolerate lag (`DATABASE_READ_URL`). */
export type ReadReplica = {
  /** How far the replica's replay is behind, in seconds; null when it cannot be asked. */
  lagSeconds(): Promise<number | null>;
  /** Reads the replica could not answer (down, or a query cancelled by recovery), answered by the primary. */
  readonly fallbacks: number;
};

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  /**
   * For reads that tolerate a few seconds of lag and decide nothing (reports, lists, counts): the
   * read replica when one is configured, answering from the primary while it cannot; else `db`.
   */
  reads: Db;
  replica: ReadReplica | null;
  raw: RawTx & { transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> };
  /**
   * Subscribes to a NOTIFY channel (see the change triggers in the migrations). On PostgreSQL a
   * dedicated connection listens and reconnects after a loss, calling back with `null` so the
   * caller can drop whatever it cached meanwhile.
   */
  listen(channel: string, listener: ChangeListener): Promise<() => Promise<void>>;
  /** Streams what `COPY (…) TO STDOUT` writes, in chunks, without holding the whole output. */
  copyOut(copySql: string): AsyncIterable<Uint8Array>;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type OpenOptions = {
  /** postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** postgres:// URL of a streaming replica of `url`, for `reads`. */
  readUrl?: string | undefined;
  /** PGlite data directory; omit for an in-memory database. */
  dataDir?: string | undefined;
  /** PGlite: start from a dumped data directory (fast test databases). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
};

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10, options.readUrl) : openPglite(options);
}

/** An embedded database that can also be dumped, to clone a migrated state quickly. */
export type PgliteDatabase = Database & { dump(): Promise<Blob> };

/**
 * Drizzle reads dates, times and intervals as text and converts them itself, and asks PGlite
 * for that with every query; PGlite then copies its table of ~300 type parsers per query, which
 * costs more than a simple query does. The instance reads them as text once and for all, and
 * plain SQL asks for PGlite's usual parsers instead.
 */
const AS_TEXT = [types.DATE, types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, 1115, 1182, 1185, 1187, 1231];
const ARRAY_OF: Record<number, number> = {
  1115: types.TIMESTAMP,
  1182: types.DATE,
  1185: types.TIMESTAMPTZ,
  1187: types.INTERVAL,
};
const asText = (value: string) => value;
const USUAL_PARSERS: QueryOptions['parsers'] = Object.fromEntries(
  AS_TEXT.map((type) => {
    const element = ARRAY_OF[type];
    const parse = types.parsers[element ?? type] ?? asText;
    return [type, element ? (value: string) => types.arrayParser(value, parse, type) : parse];
  }),
);

type Queryable = Pick<PGlite, 'query'>;
const forDrizzle = (q: Queryable): Queryable => ({
  query: (text, params, options) => q.query(text, params, options && { ...options, parsers: undefined }),
});

/**
 * The owner alone may read a PGlite data directory: it is made 0700 and its files 0600, on
 * opening and again on closing (PGlite's file system layer creates files world-readable).
 */
function ownerOnly(dir: string) {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
}

export async function openPglite(options: Omit<OpenOptions, 'url'>): Promise<PgliteDatabase> {
  const { dataDir } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: Object.fromEntries(AS_TEXT.map((type) => [type, asText])),
  });
  if (dataDir) ownerOnly(dataDir);
  const drizzleClient = {
    ...forDrizzle(client),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => client.transaction((tx) => fn(forDrizzle(tx))),
  };
  const db = drizzlePglite({ client: drizzleClient as unknown as PGlite, schema }) as unknown as Db;
  const rawOf = (q: Queryable): RawTx => ({
    query: async (text, params) => (await q.query(text, params, { parsers: USUAL_PARSERS })).rows as never,
    copyCsv: async (copySql, csv) => {
      await q.query(copySql.replace(/FROM STDIN/i, "FROM '/dev/blob'"), [], { blob: new Blob([csv]) });
    },
  });
  return {
    kind: 'pglite',
    db,
    reads: db,
    replica: null,
    raw: { ...rawOf(client), transaction: (fn) => client.transaction((tx) => fn(rawOf(tx))) },
    listen: async (channel, listener) => {
      const stop = await client.listen(channel, listener);
      return () => stop();
    },
    copyOut: async function* (copySql) {
      const [result] = await client.exec(copySql.replace(/TO STDOUT/i, "TO '/dev/blob'"));
      if (result?.blob) yield new Uint8Array(await result.blob.arrayBuffer());
    },
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    close: async () => {
      await client.close();
      if (dataDir) ownerOnly(dataDir);
      unlock();
    },
    dump: () => client.dumpDataDir('none'),
  };
}

function connectionPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server closes (restart, failover, DROP DATABASE … FORCE) is discarded
  // by the pool and replaced on the next query; without a listener the 'error' event would crash
  // the process, so it is reported as a warning instead.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`));
  // A connection the server closes while a transaction has it checked out (failover, restart,
  // pg_terminate_backend) emits 'error' on the client, where the pool's listener does not reach:
  // without this listener the process would die. The query in flight fails and its request
  // answers 503; the broken client is discarded when released.
  pool.on('connect', (client) =>
    client.on('error', (error) => process.emitWarning(`PostgreSQL closed a connection in use: ${error.message}`)),
  );
  return pool;
}

/**
 * Reads sent to the replica, and to the primary when the replica cannot answer: it is down or
 * restarting, or it cancelled the query to replay a change that conflicts with it (40001). The
 * replica only ever slows a read down, it never fails one the primary could answer.
 */
function replicaReads(replicaUrl: string, primary: pg.Pool, max: number) {
  const replica = connectionPool(replicaUrl, max);
  let fallbacks = 0;
  type Query = (config: unknown, values?: unknown) => Promise<pg.QueryResult>;
  const client = {
    query: async (config: unknown, values?: unknown) => {
      try {
        return await (replica.query as Query)(config, values);
      } catch (error) {
        if (!isDatabaseUnavailable(error) && !isRetryableConflict(error)) throw error;
        fallbacks++;
        return (primary.query as Query)(config, values);
      }
    },
  };
  const status: ReadReplica = {
    async lagSeconds() {
      // Replay is behind by how long ago the last replayed change was made, unless it has replayed
      // everything it received (an idle primary sends nothing to replay).
      const rows = await replica
        .query<{ lag: number | null }>(
          `select case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
             else extract(epoch from now() - pg_last_xact_replay_timestamp())::float end as lag`,
        )
        .catch(() => null);
      return rows?.rows[0]?.lag ?? null;
    },
    get fallbacks() {
      return fallbacks;
    },
  };
  return {
    db: drizzlePg(client as unknown as pg.Pool, { schema }) as unknown as Db,
    status,
    close: () => replica.end(),
  };
}

async function openPostgres(url: string, poolSize: number, readUrl?: string): Promise<Database> {
  const pool = connectionPool(url, poolSize);
  const notifications = new PgNotifications(url);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const replica = readUrl ? replicaReads(readUrl, pool, poolSize) : null;
  // Drizzle's own transaction over a pool sends BEGIN before its try: a BEGIN on a connection the
  // server dropped leaves the client checked out for ever, and after a failover the pool is soon
  // empty. Each transaction takes its client here instead, and a broken one is discarded.
  const onClient = new WeakMap<pg.PoolClient, Db>();
  db.transaction = (work, config) =>
    retryingConflicts(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        let clientDb = onClient.get(client);
        if (!clientDb) {
          clientDb = drizzlePg(client, { schema }) as unknown as Db;
          onClient.set(client, clientDb);
        }
        return await clientDb.transaction(work, config);
      } catch (error) {
        if (isDatabaseUnavailable(error)) broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    });
  const rawOf = (c: pg.Pool | pg.PoolClient): RawTx => ({
    query: async (text, params) => (await c.query(text, params)).rows,
    copyCsv: async (copySql, csv) => {
      if (!('release' in c)) throw new Error('COPY needs a transaction');
      const stream = c.query(copyFrom(copySql));
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(csv);
      });
    },
  });
  const rawTransaction = async <T>(fn: (tx: RawTx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(rawOf(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((lost: Error) => {
        broken = lost;
      });
      throw e;
    } finally {
      client.release(broken);
    }
  };
  return {
    kind: 'postgres',
    db,
    reads: replica?.db ?? db,
    replica: replica?.status ?? null,
    raw: {
      ...rawOf(pool),
      transaction: (fn) => retryingConflicts(() => rawTransaction(fn)),
    },
    listen: (channel, listener) => notifications.listen(channel, listener),
    copyOut: async function* (copySql) {
      const client = await pool.connect();
      let finished = false;
      try {
        for await (const chunk of client.query(copyTo(copySql))) yield chunk as Uint8Array;
        finished = true;
      } finally {
        // A COPY failed or left before its end leaves the connection mid-protocol: not reused.
        client.release(finished ? undefined : new Error('COPY TO STDOUT did not finish'));
      }
    },
    migrate: () => migratePg(drizzlePg(pool), { migrationsFolder }),
    close: async () => {
      await notifications.close();
      await replica?.close();
      await pool.end();
    },
  };
}
