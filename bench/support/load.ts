import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** One measured run: throughput and latency as the load generator saw them. */
export type Run = { perSecond: number; p50: number; p99: number; requests: number; failures: number };

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/**
 * Load from autocannon in a process of its own, so the generator never shares the server's
 * event loop: `connections` requests in flight for `seconds`, after a one-second warm-up.
 */
export async function load(
  url: string,
  options: { connections: number; seconds: number; headers?: Record<string, string>; method?: string; body?: string },
): Promise<Run> {
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const common = [
    ...headerArgs,
    '-c',
    String(options.connections),
    ...(options.method ? ['-m', options.method] : []),
    ...(options.body ? ['-b', options.body] : []),
  ];
  await autocannon([...common, '-d', '1', url]);
  const result = JSON.parse(await autocannon([...common, '-d', String(options.seconds), '--json', url]));
  return summary(result as AutocannonResult);
}

const VARIED = fileURLToPath(new URL('./varied-load.mjs', import.meta.url));

/**
 * Load whose JSON bodies carry a random phone number from `first` to `first + count - 1`, from
 * a generator process of its own, after a one-second warm-up.
 */
export async function variedLoad(
  url: string,
  options: {
    connections: number;
    seconds: number;
    headers: Record<string, string>;
    first: number;
    count: number;
    extra: Record<string, unknown>;
  },
): Promise<Run> {
  await run(VARIED, [JSON.stringify({ ...options, url, seconds: 1 })]);
  const result = JSON.parse(await run(VARIED, [JSON.stringify({ ...options, url })])) as AutocannonResult;
  return summary(result);
}

type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};

const summary = (result: AutocannonResult): Run => ({
  perSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  requests: result.requests.total,
  failures: result.non2xx + result.errors + result.timeouts,
});

const autocannon = (args: string[]) => run(AUTOCANNON, args);

function run(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`load generator exited ${code}: ${err}`)),
    );
  });
}

/** A bare node:http server answering every request with the same bytes: the baseline. */
export async function bareServer(body: Buffer | string, contentType: string): Promise<{ url: string; close(): void }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

export const row = (label: string, r: Run) =>
  `  ${label.padEnd(12)} ${r.perSecond.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms${r.failures ? `   ${r.failures} failed` : ''}`;
