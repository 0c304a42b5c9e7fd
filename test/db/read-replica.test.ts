import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { seedDemo } from '../../src/app/seed/seed.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { askToken } from '../support/api-token.ts';
import { submittedRequest } from '../support/requests.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

/**
 * DATABASE_READ_URL against a real hot standby: a PostgreSQL server of the test's own, and a
 * second one fed by streaming replication from it (scripts/throwaway-postgres.sh). With the
 * standby's replay paused, what tolerates lag (the reports, the review queue, the bank's check
 * of a number never swapped) shows the standby's older state, while everything that decides
 * (the review case, a swap inside the checked window) reads the primary. A standby that stops
 * answering only sends its reads to the primary.
 */
const script = new URL('../../scripts/throwaway-postgres.sh', import.meta.url).pathname;
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe.skipIf(!process.env.DATABASE_URL)('a read replica', () => {
  const dataDirs: string[] = [];
  let database: Database;
  let standby: Database;
  let app: FastifyInstance;
  let volnaId: string;
  let bearer: string;

  /** Starts a throwaway server (or a standby of one) and returns its URL. */
  const serve = (...args: string[]) => {
    const run = spawnSync('bash', [script, ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${script} ${args.join(' ')}: ${run.stderr}`);
    const dataDir = /^PGDATA=(.*)$/m.exec(run.stderr)?.[1];
    if (dataDir) dataDirs.push(dataDir);
    return run.stdout.trim();
  };
  /** Replay is paused once the standby says so, not when asked: it stops at the next record. */
  const pauseReplay = async () => {
    await standby.raw.query('select pg_wal_replay_pause()');
    for (let i = 0; i < 200; i++) {
      const [{ state }] = (await standby.raw.query<{ state: string }>(
        'select pg_get_wal_replay_pause_state() state',
      )) as [{ state: string }];
      if (state === 'paused') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the standby did not pause');
  };
  /** Resolves once the standby has replayed everything the primary has written. */
  const caughtUp = async () => {
    const [{ lsn }] = (await database.raw.query<{ lsn: string }>('select pg_current_wal_lsn()::text lsn')) as [
      { lsn: string },
    ];
    for (let i = 0; i < 200; i++) {
      const [{ done }] = (await standby.raw.query<{ done: boolean }>(
        'select pg_last_wal_replay_lsn() >= $1::pg_lsn done',
        [lsn],
      )) as [{ done: boolean }];
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the standby did not catch up');
  };
  const check = (phoneNumber: string, maxAge = 24) =>
    app.inject({
      method: 'POST',
      url: '/sim-swap/v2/check',
      headers: { host: 'localhost', authorization: bearer, 'content-type': 'application/json' },
      payload: { phoneNumber, maxAge },
    });

  beforeAll(async () => {
    const primaryPort = await freePort();
    const primaryUrl = serve(String(primaryPort));
    const replicaUrl = serve('replica', String(primaryPort), String(await freePort()));
    const setUp = await openDatabase({ url: primaryUrl, poolSize: 2 });
    await setUp.migrate();
    await seedDemo(setUp, testConfig.documentKey);
    await setUp.close();
    database = await openDatabase({ url: primaryUrl, readUrl: replicaUrl, poolSize: 4 });
    standby = await openDatabase({ url: replicaUrl, poolSize: 1 });
    app = await buildApp({ config: testConfig, database, logger: false });
    volnaId = (await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`))[0]!.id;
    const client = await createApiClient(database.db, { operatorId: volnaId, name: 'Bank', scopes: ['sim-swap'] });
    bearer = `Bearer ${(await askToken(app, client)).json().access_token}`;
    await caughtUp();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.close();
    await standby?.close();
    for (const dir of dataDirs.reverse()) execFileSync('bash', [script, 'stop', dir]);
  });

  test('lists, reports and a never-swapped number are read on the standby; the decisions on the primary', async () => {
    const reviewer = await staffClient(app, database, 'reviewer@volna.example');
    const admin = await staffClient(app, database, 'admin@volna.example');
    const today = new Date().toISOString().slice(0, 10);
    const reportShows = async () => (await admin.get(`/staff/reports?from=${today}&to=${today}`)).body;
    const before = await reportShows();
    expect((await check('+79161110021')).json()).toEqual({ swapped: false });

    await pauseReplay();
    let reference = '';
    try {
      const { requestId } = await submittedRequest(database, '+79161110011', { reason: 'not_working' });
      [{ reference }] = (await database.raw.query<{ reference: string }>(
        'select reference from replacement_requests where id = $1',
        [requestId],
      )) as [{ reference: string }];
      await database.raw.query(`update lines set status = 'terminated' where msisdn = '+79161110021'`);
      await database.raw.query(
        `insert into sim_changes (operator_id, msisdn, changed_at, source) values ($1, '+79161110031', now(), 'import')`,
        [volnaId],
      );

      // The standby has none of it: the queue and the report are as they were.
      expect((await reviewer.get('/staff/review')).body).not.toContain(reference);
      expect(await reportShows()).toBe(before);
      // The number's line is gone on the primary, not yet on the standby, which answers for it.
      expect((await check('+79161110021')).statusCode).toBe(200);
      // The case a reviewer decides on, and a swap inside the window, are read on the primary.
      const opened = await reviewer.get(`/staff/review/${requestId}`);
      expect(opened.statusCode).toBe(200);
      expect(opened.body).toContain(reference);
      expect((await check('+79161110031')).json()).toEqual({ swapped: true });
      expect(
        await standby.raw.query(
          `select 1 from sim_changes where msisdn = '+79161110031' and changed_at > now() - interval '1 hour'`,
        ),
      ).toHaveLength(0);
      expect(await database.replica?.lagSeconds()).toBeGreaterThan(0);
    } finally {
      await standby.raw.query('select pg_wal_replay_resume()');
    }
    await caughtUp();
    expect((await reviewer.get('/staff/review')).body).toContain(reference);
    expect(await reportShows()).not.toBe(before);
    expect((await check('+79161110021')).statusCode).toBe(404);
  });

  test('a standby that stops answering sends its reads to the primary, counted', async () => {
    const admin = await staffClient(app, database, 'admin@volna.example');
    const fallbacks = database.replica?.fallbacks ?? 0;
    execFileSync('bash', [script, 'stop', dataDirs.pop() as string]);
    const today = new Date().toISOString().slice(0, 10);
    const report = await admin.get(`/staff/reports?from=${today}&to=${today}`);
    expect(report.statusCode).toBe(200);
    expect(database.replica?.fallbacks).toBeGreaterThan(fallbacks);
    expect(await database.replica?.lagSeconds()).toBeNull();
    expect((await check('+79161110041')).statusCode).toBe(200);
  });
});
