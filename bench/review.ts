/**
 * The back office under a large history: REQUESTS (default 100,000) replacement requests, of
 * which OPEN (default 20,000) wait for review, then the review queue and one request's page
 * under CONNECTIONS=10 from a load generator in its own process (autocannon). The server's own
 * time per request is taken from Fastify's reply timer, so p95 server time is what the target
 * (under 50 ms) is about; a bare node:http server sending the same page is the baseline.
 *
 *   npm run bench:review                        # embedded PGlite in a temporary directory
 *   DATABASE_URL=postgres://… npm run bench:review
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../src/app/seed/seed.ts';
import { runCli } from '../src/cli/program.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { buildApp } from '../src/web/app.ts';
import { bareServer, load, row } from './support/load.ts';

const REQUESTS = Number(process.env.REQUESTS ?? 100_000);
const OPEN = Number(process.env.OPEN ?? 20_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const SECONDS = Number(process.env.SECONDS ?? 10);

const dir = mkdtempSync(join(tmpdir(), 'simdesk-review-'));
const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATA_DIR: dir,
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
};
const config = loadConfig(env);
const quiet = { out: () => {}, err: (line: string) => console.error(line), tty: null };
if ((await runCli(['seed'], quiet, env)) !== 0) throw new Error('seed failed');

const database = await openDatabase({ url: config.databaseUrl, dataDir: join(dir, 'pglite') });
const started = performance.now();
await database.raw.query(`delete from request_events where request_id in
  (select id from replacement_requests where reference like 'R-B%')`);
await database.raw.query(`delete from replacement_requests where reference like 'R-B%'`);
await database.raw.query(`delete from lines where msisdn like '+7998%'`);
await database.raw.query(`delete from accounts where full_name like 'Bench subscriber %'`);
const op = `(select id from operators where slug = 'volna')`;
await database.raw.query(
  `insert into accounts (id, operator_id, full_name, locale)
   select md5('account' || g)::uuid, ${op}, 'Bench subscriber ' || g, 'en' from generate_series(1, ${OPEN}) g`,
);
await database.raw.query(
  `insert into lines (id, operator_id, account_id, msisdn)
   select md5('line' || g)::uuid, ${op}, md5('account' || g)::uuid, '+7998' || lpad(g::text, 7, '0')
     from generate_series(1, ${OPEN}) g`,
);
// The first OPEN requests wait for review, one per line; the rest are history on the same lines.
await database.raw.query(
  `insert into replacement_requests (operator_id, reference, account_id, line_id, channel, reason, sim_type, delivery,
     status, submitted_at, risk_score, risk_signals, four_eyes, delivery_address, contact_name, contact_phone)
   select ${op}, 'R-B' || lpad(g::text, 7, '0'), md5('account' || (g % ${OPEN} + 1))::uuid,
          md5('line' || (g % ${OPEN} + 1))::uuid, 'online',
          (array['lost', 'stolen', 'damaged', 'not_working'])[g % 4 + 1], 'physical', 'courier',
          case when g <= ${OPEN} then 'in_review' else (array['activated', 'rejected', 'cancelled'])[g % 3 + 1] end,
          now() - make_interval(mins => g), g % 101,
          case when g % 101 >= 60 then array['password_changed_recently', 'failed_sign_ins'] else '{}' end, g % 101 >= 60,
          '{"city": "Moscow", "street": "Tverskaya", "building": "1", "postcode": "125009"}'::jsonb,
          'Bench subscriber ' || g, '+7998' || lpad((g % ${OPEN} + 1)::text, 7, '0')
     from generate_series(1, ${REQUESTS}) g`,
);
await database.raw.query(
  `insert into request_events (operator_id, request_id, type, from_status, to_status, actor_kind, created_at)
   select operator_id, id, 'submit', 'draft', status, 'subscriber', submitted_at
     from replacement_requests where reference like 'R-B%'`,
);
await database.raw.query('analyze');
const loadSeconds = (performance.now() - started) / 1000;

const app = await buildApp({ config, database, logger: false });
const serverTimes: number[] = [];
app.addHook('onResponse', async (_request, reply) => {
  serverTimes.push(reply.elapsedTime);
});
const base = await app.listen({ host: '127.0.0.1', port: 0 });

/** Signs the demo reviewer in through both steps and returns the session cookie. */
async function reviewerCookie(): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const post = async (path: string, fields: Record<string, string>) => {
    const page = await fetch(`${base}${path}`, { headers: { cookie: header() } });
    keep(page);
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    const answer = await fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
    });
    keep(answer);
    return answer;
  };
  await post('/staff', { email: 'reviewer@volna.example', password: DEMO_STAFF_PASSWORD });
  const done = await post('/staff/totp', { code: await generate({ secret: DEMO_STAFF_TOTP_SECRET }) });
  if (done.headers.get('location') !== '/staff/home')
    throw new Error(`sign-in failed: ${done.status} ${(await done.text()).slice(0, 300)}`);
  return header();
}

// A code is taken once per 30-second step: forget the last one, as if the previous sign-in were long ago.
await database.raw.query("update staff_users set totp_last_step = null where email = 'reviewer@volna.example'");
const cookie = await reviewerCookie();
const [middle] = await database.raw.query<{ id: string }>(
  `select id from replacement_requests where reference = 'R-B' || lpad('${Math.floor(OPEN / 2)}', 7, '0')`,
);
const pages: [string, string][] = [
  ['review queue, oldest first', '/staff/review'],
  ['review queue, high risk, lost', '/staff/review?risk=high&reason=lost'],
  ['one request under review', `/staff/review/${middle?.id}`],
];
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

console.log(
  `engine: ${database.kind}, ${REQUESTS.toLocaleString('en')} requests (${OPEN.toLocaleString('en')} waiting for review) loaded in ${loadSeconds.toFixed(1)} s, ${CONNECTIONS} connections, ${SECONDS} s per run\n`,
);
for (const [name, path] of pages) {
  const headers = { cookie };
  const page = await fetch(`${base}${path}`, { headers });
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
  const html = Buffer.from(await page.arrayBuffer());
  const bare = await bareServer(html, 'text/html; charset=utf-8');
  const options = { connections: CONNECTIONS, seconds: SECONDS, headers };
  const baseline = await load(`${bare.url}${path}`, options);
  bare.close();
  serverTimes.length = 0;
  const simdesk = await load(`${base}${path}`, options);
  const p95 = percentile(serverTimes, 95);
  console.log(`${name} (${html.length} bytes)`);
  console.log(row('node:http', baseline));
  console.log(row('simdesk', simdesk));
  console.log(
    `  server time  p50 ${percentile(serverTimes, 50).toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   (${p95 < 50 ? 'meets' : 'MISSES'} the 50 ms target)\n`,
  );
}
await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
