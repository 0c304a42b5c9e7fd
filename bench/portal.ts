/**
 * Portal pages under load: the public home page, and the signed-in account page, request status
 * page and "Check your answers" (session, the subscriber's data, server-rendered HTML). Load
 * comes from autocannon in its own process; the baseline is a bare node:http server sending the
 * same bytes, measured in the same run. Pages keep what they read in memory until it changes, so
 * each signed-in page also reports what reading its data costs on a first view.
 * Set DATABASE_URL to measure PostgreSQL.
 *
 *   npm run bench:portal            # CONNECTIONS=20 SECONDS=10
 */

import { loadAccountOverview } from '../src/app/accounts/account-overview.ts';
import { loadDraft } from '../src/app/requests/replacement-draft.ts';
import { requestStatus } from '../src/app/requests/request-status.ts';
import { DEMO_PASSWORD } from '../src/app/seed/demo-subscribers.ts';
import { seedDemo } from '../src/app/seed/seed.ts';
import { openDatabase } from '../src/db/client.ts';
import { buildApp } from '../src/web/app.ts';
import { readyDraft, submittedRequest } from '../test/support/requests.ts';
import { testConfig } from '../test/support/test-config.ts';
import { bareServer, load, row } from './support/load.ts';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 10);

// The test configuration, whose document key the request helpers seal the passport scans with: a
// configuration of its own seeded and submitted under two keys ("unable to authenticate data").
const config = testConfig;
const database = await openDatabase({ url: process.env.DATABASE_URL });
await database.migrate();
await seedDemo(database, config.documentKey);
const { requestId, actor } = await submittedRequest(database, '+79161110001');
const draft = await readyDraft(database, '+79161110003');

/** What a page's data costs when it is not in memory yet (a first view, or after a change): ms per read. */
async function firstView(read: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 100; i++) await read();
  const started = performance.now();
  for (let i = 0; i < 1_000; i++) await read();
  return (performance.now() - started) / 1_000;
}

const app = await buildApp({ config, database, logger: false });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const signIn = await fetch(`${base}/login`);
const csrfCookie = signIn.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const token = (await signIn.text()).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
const signedIn = await fetch(`${base}/login`, {
  method: 'POST',
  redirect: 'manual',
  headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: token, phone: '+79161110001', password: DEMO_PASSWORD, next: '/account' }),
});
const cookie = [csrfCookie, ...signedIn.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');

const { db } = database;
const pages: [string, string, (() => Promise<unknown>) | null][] = [
  ['home page (no cookie)', '/', null],
  ['account page', '/account', () => loadAccountOverview(db, actor.operatorId, actor.accountId)],
  ['status page', `/requests/${requestId}`, () => requestStatus(db, actor, requestId)],
  ['check your answers', `/requests/${draft.requestId}/check`, () => loadDraft(db, draft.actor, draft.requestId)],
];
console.log(`engine: ${database.kind}, ${CONNECTIONS} connections, ${SECONDS} s per run, load from autocannon\n`);
for (const [name, path, read] of pages) {
  const headers: Record<string, string> = read ? { cookie } : {};
  const page = await fetch(`${base}${path}`, { headers, redirect: 'manual' });
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}: not signed in?`);
  const html = Buffer.from(await page.arrayBuffer());
  const bare = await bareServer(html, 'text/html; charset=utf-8');
  const options = { connections: CONNECTIONS, seconds: SECONDS, headers };
  const baseline = await load(`${bare.url}${path}`, options);
  bare.close();
  const simdesk = await load(`${base}${path}`, options);
  console.log(`${name} (${html.length} bytes)`);
  console.log(row('node:http', baseline));
  console.log(row('simdesk', simdesk));
  console.log(`  share        ${((100 * simdesk.perSecond) / baseline.perSecond).toFixed(1)}% of the bare server`);
  if (read)
    console.log(`  first view   ${(await firstView(read)).toFixed(2)} ms to read the page's data from the database`);
  console.log('');
}
await app.close();
await database.close();
