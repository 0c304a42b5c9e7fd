import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { loggerOptions, redactedUrl } from '../../src/web/plugins/log-redaction.ts';
import { readyDraft } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, type WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
const logged: string[] = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    logged.push(String(chunk));
    done();
  },
});
let client: WebClient;
let ids: { lineId: string; requestId: string };

beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: { ...loggerOptions('info'), stream: logStream } });
  const { requestId } = await readyDraft(database, '+79161110041');
  const [line] = await database.raw.query<{ id: string }>("select id from lines where msisdn = '+79161110041'");
  ids = { lineId: line?.id ?? '', requestId };
  client = await signedInClient(app, '+79161110041');
});
afterAll(async () => {
  await app.close();
  await database.close();
});

type Sent = { payload?: string | Buffer; contentType?: string };

const send = (url: string, { payload, contentType }: Sent) =>
  app.inject({
    method: 'POST',
    url,
    headers: {
      host: 'localhost',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    ...(payload === undefined ? {} : { payload }),
  });

const json = (body: unknown): Sent => ({ payload: JSON.stringify(body), contentType: 'application/json' });
const form = (body: string): Sent => ({ payload: body, contentType: 'application/x-www-form-urlencoded' });

test.each([
  ['/login', { phone: ['+79161110041', '+79161110001'], password: 'x' }],
  ['/login', { phone: '+79161110041', password: 12345 }],
  ['/password/forgot', { phone: { $ne: '' }, channel: 'email' }],
  ['/password/code', { phone: 7, code: [1, 2] }],
  ['/account/settings/email', { email: ['a@b.example'], password: null }],
  ['/lines/{lineId}/unblock', { password: { toString: 1 } }],
  ['/requests/{requestId}/esim', { password: [] }],
  ['/sandbox/pay/ref/3ds', { code: 123456 }],
])('JSON to a form route (%s) is refused with 415, not a 500', async (url, body) => {
  const target = url.replace('{lineId}', ids.lineId).replace('{requestId}', ids.requestId);
  const res = await send(target, json({ _csrf: client.csrf(), ...body }));
  expect(res.statusCode).toBe(415);
  expect(res.body).toContain('The form could not be read');
});

test('a repeated field, a NUL byte or an endless value in a form is a 400 page in the reader language', async () => {
  const csrf = encodeURIComponent(client.csrf() ?? '');
  const cases = [
    `_csrf=${csrf}&phone=%2B79161110041&phone=%2B79161110001&password=x`,
    `_csrf=${csrf}&phone=%2B7916%001110041&password=x`,
    `_csrf=${csrf}&phone=${'9'.repeat(5_000)}&password=x`,
  ];
  for (const body of cases) {
    const res = await send('/login', form(body));
    expect(res.statusCode, body.slice(0, 80)).toBe(400);
    expect(res.body).toContain('The form could not be read');
  }
  const contact = await send(
    `/requests/${ids.requestId}/contact`,
    form(`_csrf=${csrf}&contactName=a%00b&contactPhone=%2B79161110041&city=Moscow`),
  );
  expect(contact.statusCode).toBe(400);
  expect(logged.join('')).not.toContain('a\\u0000b');
});

test('a multipart body cut off in the middle of a part is a 400, not a 500', async () => {
  const boundary = '----simdeskcut';
  const start = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrf()}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="docType"\r\n\r\npassport_ru\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0partial`,
    'latin1',
  );
  const contentType = `multipart/form-data; boundary=${boundary}`;
  for (const url of [`/requests/${ids.requestId}/identity`, `/requests/${ids.requestId}/document`]) {
    const res = await send(url, { payload: start, contentType });
    expect(res.statusCode, `${url} ${logged.filter((l) => l.includes('"level":50')).at(-1)}`).toBe(400);
  }
});

test('a failed statement is logged without its parameters', async () => {
  const lines: string[] = [];
  const log = pino(
    loggerOptions('info'),
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const secret = 'Иванова Анна, ул. Баумана 5';
  const failed = await database.db
    .execute(
      // A NUL byte in a text parameter is refused by PostgreSQL, as any bad value reaching it would be.
      (await import('drizzle-orm')).sql`select ${`${secret}\u0000`}::text`,
    )
    .then(() => null)
    .catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(Error);
  log.error({ err: failed }, 'request failed');
  const entry = lines.join('');
  expect(entry).toContain('request failed');
  expect(entry).not.toContain('Баумана');
  expect(entry).toContain('[redacted]');
});

/** The site's POST routes, read from its route table, with their parameters filled in. */
function postRoutes(): string[] {
  const tree = app.printRoutes({ commonPrefix: false, method: 'POST' });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const row of tree.split('\n')) {
    const at = row.indexOf('/');
    if (at < 0) continue;
    const depth = Math.floor(at / 4);
    const segment = row.slice(at).replace(/ \(POST\)$/, '');
    stack.length = depth;
    stack.push(segment);
    routes.push(stack.join(''));
  }
  return routes;
}

const fill = (route: string, step: string) =>
  route
    .replace(':lineId', ids.lineId)
    .replace(':requestId', ids.requestId)
    .replace(':step', step)
    .replace(':form', step === 'contact' ? 'email' : 'phone')
    .replace(':token', 'x'.repeat(43))
    .replace(':ref', 'pay_unknown');

const FIELDS = [
  'phone',
  'password',
  'next',
  'code',
  'channel',
  'email',
  'locale',
  'lock',
  'iccid',
  'method',
  'attempt',
];
const WIZARD = [
  'reason',
  'simType',
  'delivery',
  'contactName',
  'contactPhone',
  'city',
  'postcode',
  'docType',
  'docNumber',
];

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\r\n', '\u202e', '💥', 'x'.repeat(3_000), '+79161110041', 'email', 'on'),
  fc.array(fc.string(), { minLength: 2, maxLength: 3 }),
  fc.integer(),
  fc.constant(null),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const body = fc.dictionary(fc.constantFrom(...FIELDS, ...WIZARD, '__proto__', 'constructor', '_csrf', 'x'), value, {
  maxKeys: 6,
});

function encode(kind: string, fields: Record<string, unknown>, csrf: string): Sent {
  const withToken = { _csrf: csrf, ...fields };
  switch (kind) {
    case 'json':
      return json(withToken);
    case 'form': {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(withToken))
        for (const item of Array.isArray(v) ? v : [v])
          params.append(k, typeof item === 'string' ? item : JSON.stringify(item));
      return form(params.toString());
    }
    case 'multipart':
    case 'cut multipart': {
      const boundary = 'fuzzboundary';
      const parts = Object.entries(withToken).map(
        ([k, v]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === 'string' ? v : JSON.stringify(v)}\r\n`,
      );
      const whole = `${parts.join('')}--${boundary}--\r\n`;
      const payload = kind === 'multipart' ? whole : whole.slice(0, Math.max(10, whole.length - 20));
      return { payload: Buffer.from(payload), contentType: `multipart/form-data; boundary=${boundary}` };
    }
    case 'text':
      return { payload: JSON.stringify(fields), contentType: 'text/plain' };
    default:
      return { payload: 'a=%zz&b=%', contentType: 'application/x-www-form-urlencoded' };
  }
}

test('random and malformed bodies to every form route never give a 500', { timeout: 240_000 }, async () => {
  const routes = postRoutes().filter((r) => !r.startsWith('/logout'));
  expect(routes.length).toBeGreaterThan(20);
  expect(routes).toContain('/requests/:requestId/:step');
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.constantFrom('reason', 'sim-type', 'delivery', 'contact', 'identity', 'center'),
      fc.constantFrom('json', 'form', 'form', 'form', 'multipart', 'cut multipart', 'text', 'broken form'),
      body,
      async (route, step, kind, fields) => {
        const res = await send(fill(route, step), encode(kind, fields, client.csrf() ?? ''));
        expect(
          res.statusCode,
          `${route} ${kind} ${JSON.stringify(fields).slice(0, 200)} ${logged.filter((l) => l.includes('"level":50')).at(-1)}`,
        ).toBeLessThan(500);
      },
    ),
    { numRuns: 400 },
  );
});

test('secret links and query values never reach the request log', async () => {
  const secrets = ['reset-9f8e7d6c5b4a', 'visit-1a2b3c4d5e6f', 'wasnt-me-0f1e2d3c'];
  logged.length = 0;
  for (const url of [
    `/password/reset/${secrets[0]}`,
    `/visits/${secrets[1]}?done=booked`,
    `/wasnt-me/${secrets[2]}`,
    '/centers?near=55.75,37.61',
  ])
    await app.inject({ url, headers: { host: 'localhost' } });
  const log = logged.join('');
  expect(log).toContain('/password/reset/[redacted]');
  expect(log).toContain('/visits/[redacted]?done=[redacted]');
  expect(log).toContain('/centers?near=[redacted]');
  for (const secret of [...secrets, '55.75']) expect(log).not.toContain(secret);
  expect(redactedUrl('/staff/review?risk=high&age=3')).toBe('/staff/review?risk=[redacted]&age=[redacted]');
});
