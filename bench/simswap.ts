/**
 * The CAMARA SIM Swap `check` endpoint under load: ROWS numbers (default 1,000,000) with SIM
 * change history, then POSTs for random numbers among them from a load generator in its own
 * process (autocannon, CONNECTIONS=50, SECONDS=10). The baseline is a bare node:http server
 * answering a constant JSON body to the same requests, in the same run. The first million numbers
 * are loaded by `simdesk import sim-changes` (its own measurement); beyond that the history is
 * written by one SQL statement, as a national operator's would be by its own bulk load.
 *
 *   npm run bench:simswap                       # embedded PGlite in a temporary directory
 *   DATABASE_URL=postgres://… ROWS=20000000 npm run bench:simswap
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createApiClient } from '../src/app/api/api-clients.ts';
import { operatorIdBySlug } from '../src/app/operators/operator-profile.ts';
import { runCli } from '../src/cli/program.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { buildApp } from '../src/web/app.ts';
import { bareServer, row, variedLoad } from './support/load.ts';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const IMPORTED = Math.min(ROWS, 1_000_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 10);
/** The numbers of the history: +79990000000 and on. */
const FIRST = 79_990_000_000;

const dir = mkdtempSync(join(tmpdir(), 'simdesk-simswap-'));
const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATA_DIR: dir,
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
};
const config = loadConfig(env);
const quiet = { out: () => {}, err: (line: string) => console.error(line), tty: null };

async function generate(file: string) {
  const out = createWriteStream(file);
  out.write('msisdn,changed_at\n');
  const now = Date.now();
  let chunk = '';
  for (let i = 0; i < IMPORTED; i++) {
    chunk += `+${FIRST + i},${new Date(now - Math.floor(Math.random() * 400 * 86_400_000)).toISOString()}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
}

if ((await runCli(['seed'], quiet, env)) !== 0) throw new Error('seed failed');
{
  const database = await openDatabase({ url: config.databaseUrl, dataDir: join(dir, 'pglite') });
  await database.raw.query(`delete from sim_changes where source = 'import' and msisdn like '+7999%'`);
  await database.close();
}
const file = join(dir, 'sim-changes.csv');
await generate(file);
const started = performance.now();
const imported = await runCli(['import', 'sim-changes', file, '--operator', 'volna'], quiet, env);
const seconds = (performance.now() - started) / 1000;
if (imported !== 0) throw new Error(`import exited ${imported}`);

const database = await openDatabase({ url: config.databaseUrl, dataDir: join(dir, 'pglite') });
const operatorId = (await operatorIdBySlug(database, 'volna')) as string;
const seeding = performance.now();
for (let from = IMPORTED; from < ROWS; from += 5_000_000) {
  await database.raw.query(
    `insert into sim_changes (operator_id, msisdn, source, changed_at)
     select $1, '+' || ($2::bigint + g), 'import', now() - random() * interval '400 days'
       from generate_series($3::bigint, $4::bigint) g`,
    [operatorId, FIRST, from, Math.min(from + 5_000_000, ROWS) - 1],
  );
}
if (ROWS > IMPORTED) await database.raw.query('analyze sim_changes');
const seedSeconds = (performance.now() - seeding) / 1000;
const client = await createApiClient(database.db, {
  operatorId,
  name: 'Bench bank',
  scopes: ['sim-swap'],
  ratePerMinute: 100_000_000,
});
const held = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const heapBefore = held();
const indexing = performance.now();
const app = await buildApp({ config, database, logger: false });
await app.swapIndex.settled();
const indexSeconds = (performance.now() - indexing) / 1000;
const indexMegabytes = (held() - heapBefore) / 1024 / 1024;
const footprint = app.swapIndex.footprint;
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const issued = await fetch(`${base}/oauth/token`, {
  method: 'POST',
  headers: {
    authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: 'grant_type=client_credentials&scope=sim-swap:check',
});
const grant = (await issued.json()) as { access_token?: string };
if (!grant.access_token) throw new Error(`no token: ${issued.status} ${JSON.stringify(grant)}`);
const token = grant.access_token;
const headers = { authorization: `Bearer ${token}`, 'x-correlator': 'bench' };
const sample = await fetch(`${base}/sim-swap/v2/check`, {
  method: 'POST',
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify({ phoneNumber: `+${FIRST + Math.min(12_345, ROWS - 1)}`, maxAge: 240 }),
});
const body = await sample.text();
if (sample.status !== 200) throw new Error(`check answered ${sample.status}: ${body}`);

const load = { connections: CONNECTIONS, seconds: SECONDS, headers, first: FIRST, count: ROWS, extra: { maxAge: 240 } };
const bare = await bareServer(body, 'application/json; charset=utf-8');
const baseline = await variedLoad(`${bare.url}/sim-swap/v2/check`, load);
bare.close();
const simdesk = await variedLoad(`${base}/sim-swap/v2/check`, load);

console.log(
  `engine: ${database.kind}, ${ROWS.toLocaleString('en')} numbers with history, ${CONNECTIONS} connections, ${SECONDS} s`,
);
console.log(
  `import       ${IMPORTED.toLocaleString('en')} rows in ${seconds.toFixed(1)} s, ${Math.round(IMPORTED / seconds).toLocaleString('en')} rows/s (simdesk import sim-changes)`,
);
if (ROWS > IMPORTED)
  console.log(`seed         ${(ROWS - IMPORTED).toLocaleString('en')} more rows by SQL in ${seedSeconds.toFixed(1)} s`);
console.log(
  `index        ${footprint.numbers.toLocaleString('en')} numbers built in ${indexSeconds.toFixed(1)} s at start, ` +
    `${(footprint.bytes / Math.max(1, footprint.numbers)).toFixed(1)} bytes a number in its tables, ` +
    `process memory (heap and buffers) ${indexMegabytes >= 0 ? '+' : ''}${indexMegabytes.toFixed(0)} MB`,
);
console.log('POST /sim-swap/v2/check, a random number per request');
console.log(row('node:http', baseline));
console.log(row('simdesk', simdesk));
console.log(`  share        ${((100 * simdesk.perSecond) / baseline.perSecond).toFixed(1)}% of the bare server`);
await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
