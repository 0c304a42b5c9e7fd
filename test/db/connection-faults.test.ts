import { execFileSync, spawnSync } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedDemo } from '../../src/app/seed/seed.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { isDatabaseUnavailable } from '../../src/db/conflicts.ts';
import { buildApp } from '../../src/web/app.ts';
import { testConfig } from '../support/test-config.ts';

/**
 * A PostgreSQL server of this file's own, so it can be restarted under load without disturbing
 * the other test files: the app must survive every way a server drops connections that
 * transactions hold, answer 503 meanwhile, and reconnect by itself.
 */
const script = new URL('../../scripts/throwaway-postgres.sh', import.meta.url).pathname;
let url = '';
let pgdata = '';
let database: Database;
let app: FastifyInstance;

const pgCtl = (...args: string[]) => {
  const bindir = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1']).toString().trim();
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const [command, ...rest] = [...asPostgres, `${bindir}/pg_ctl`, '-D', pgdata, ...args];
  execFileSync(command as string, rest, { stdio: 'ignore' });
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  const started = spawnSync(script, [String(await freePort())], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`PostgreSQL did not start: ${started.stderr}`);
  url = started.stdout.trim();
  pgdata = started.stderr.match(/^PGDATA=(.+)$/m)?.[1] ?? '';
  database = await openDatabase({ url, poolSize: 10 });
  await database.migrate();
  await seedDemo(database, testConfig.documentKey);
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  if (!process.env.DATABASE_URL) return;
  await app.close();
  await database.close();
  execFileSync(script, ['stop', pgdata]);
});

type Tally = { ok: number; unavailable: number; other: string[] };

/** Eight clients running short transactions and page requests until told to stop. */
function load() {
  const tally: Tally = { ok: 0, unavailable: 0, other: [] };
  let running = true;
  const client = async () => {
    while (running) {
      try {
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(0.02)`);
          await tx.execute(sql`select 1`);
        });
        tally.ok++;
      } catch (error) {
        if (isDatabaseUnavailable(error)) tally.unavailable++;
        else tally.other.push(String(error).slice(0, 200));
        await sleep(20);
      }
      const page = await app.inject({ url: '/centers', headers: { host: 'localhost', accept: 'text/html' } });
      if (page.statusCode === 500) tally.other.push(`page answered 500: ${page.body.slice(0, 200)}`);
      if (page.statusCode === 503) tally.unavailable++;
    }
  };
  const clients = Array.from({ length: 8 }, client);
  return {
    tally,
    stop: async () => {
      running = false;
      await Promise.all(clients);
    },
  };
}

async function recovered(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ready = await app.inject({ url: '/readyz' });
    if (ready.statusCode === 200) return;
    await sleep(100);
  }
  throw new Error('/readyz never reported the database back');
}

const FAULTS: [string, () => Promise<void> | void][] = [
  [
    'pg_terminate_backend of every connection',
    async () => {
      const other = await openDatabase({ url, poolSize: 1 });
      await other.raw.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()',
      );
      await other.close();
    },
  ],
  ['pg_ctl restart -m fast', () => pgCtl('-m', 'fast', '-w', 'restart')],
  ['pg_ctl restart -m immediate', () => pgCtl('-m', 'immediate', '-w', 'restart')],
];

test.skipIf(!process.env.DATABASE_URL).each(FAULTS)(
  'under load, %s: the process lives, requests in flight answer 503, and the pool reconnects',
  async (name, fault) => {
    const running = load();
    await sleep(300);
    await fault();
    const during = await app.inject({ url: '/readyz' });
    await recovered();
    await sleep(300);
    await running.stop();
    const { ok, unavailable, other } = running.tally;
    console.log(
      `${name}: ${ok} transactions committed, ${unavailable} answered unavailable, ${other.length} other errors`,
    );
    expect(other).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect(unavailable).toBeGreaterThan(0);
    expect([200, 503]).toContain(during.statusCode);
    const after = await database.raw.query<{ one: number }>('select 1 one');
    expect(after).toEqual([{ one: 1 }]);
  },
);
