/**
 * Portal throughput: the subscriber's request status page (session lookup, the request, its
 * timeline and payments, server-rendered HTML) and the check-your-answers page of a draft,
 * under concurrent load, against a bare node:http server sending the same bytes, measured in
 * the same process with the same client. Set DATABASE_URL to measure PostgreSQL.
 *
 *   npm run bench:portal            # CONNECTIONS=20 SECONDS=10
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD } from '../src/app/seed/demo-subscribers.ts';
import { seedDemo } from '../src/app/seed/seed.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { buildApp } from '../src/web/app.ts';
import { readyDraft, submittedRequest } from '../test/support/requests.ts';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 10);

type Run = { requests: number; perSecond: number; p50: number; p99: number };

/** Keeps CONNECTIONS requests in flight for SECONDS and reports throughput and latency. */
async function load(url: string, cookie: string): Promise<Run> {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const answer = await fetch(url, { headers: { cookie }, redirect: 'manual' });
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
      latencies.push(performance.now() - started);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, client));
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

const config = {
  ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
  documentsDir: '/tmp/simdesk-bench-documents',
};
const database = await openDatabase({ url: process.env.DATABASE_URL });
await database.migrate();
await seedDemo(database, config.documentKey);
const { requestId } = await submittedRequest(database, '+79161110001');
const draft = await readyDraft(database, '+79161110003');

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

const pages = [
  ['status page', `/requests/${requestId}`],
  ['check your answers', `/requests/${draft.requestId}/check`],
] as const;
console.log(`engine: ${database.kind}, ${CONNECTIONS} connections, ${SECONDS} s per run\n`);
for (const [name, path] of pages) {
  const page = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}: not signed in?`);
  const html = Buffer.from(await page.arrayBuffer());
  const bare = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  const bareUrl = await listen(bare);
  const baseline = await load(`${bareUrl}${path}`, cookie);
  const simdesk = await load(`${base}${path}`, cookie);
  bare.close();
  const row = (label: string, r: Run) =>
    `  ${label.padEnd(12)} ${r.perSecond.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms`;
  console.log(`${name} (${html.length} bytes)`);
  console.log(row('node:http', baseline));
  console.log(row('simdesk', simdesk));
  console.log(`  ratio        ${(baseline.perSecond / simdesk.perSecond).toFixed(1)}× the bare server's cost\n`);
}
await app.close();
await database.close();
