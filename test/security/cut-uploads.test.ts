import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { passportPhoto, readyDraft } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, staffClient, type WebClient } from '../support/web-client.ts';

/**
 * Uploads cut off part-way over a real socket (app.inject cannot cut a body): the client sends
 * the headers and part of the file, then closes its side and waits for the answer, as a phone
 * losing its signal mid-upload does.
 */
let database: Database;
let app: FastifyInstance;
let port: number;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const BOUNDARY = '----simdeskcut';
const cookieOf = (client: WebClient) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** Sends `head` and the first `sent` bytes of a body announced as `declared` bytes, half-closes, and reads the answer. */
function cutOff(path: string, cookie: string, body: Buffer, sent: number): Promise<{ status: number; raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: 0, raw: 'no answer within 10 s' });
    }, 10_000);
    socket.on('data', (d) => {
      raw += d.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(raw.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0), raw: raw.slice(0, 300) });
    });
    socket.write(
      [
        `POST ${path} HTTP/1.1`,
        'Host: localhost',
        `Cookie: ${cookie}`,
        'Accept: text/html',
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
        `Content-Length: ${body.length}`,
        '',
        '',
      ].join('\r\n'),
    );
    socket.end(body.subarray(0, sent));
  });
}

const multipart = (
  fields: Record<string, string>,
  file: { name: string; filename: string; type: string; content: Buffer },
) =>
  Buffer.concat([
    ...Object.entries(fields).map(([k, v]) =>
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    ),
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

test('a passport photo cut off inside the file part answers 400, never 500, and nothing is saved', async () => {
  const { requestId } = await readyDraft(database, '+79161110021');
  await database.raw.query('delete from identity_documents where request_id = $1', [requestId]);
  const client = await signedInClient(app, '+79161110021');
  const page = await client.get(`/requests/${requestId}/identity`);
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const body = multipart(
    { _csrf: csrf, docType: 'passport_ru', docNumber: '4506 123456' },
    { name: 'document', filename: 'passport.jpg', type: 'image/jpeg', content: await passportPhoto() },
  );
  const answer = await cutOff(`/requests/${requestId}/identity`, cookieOf(client), body, Math.floor(body.length * 0.6));
  expect(answer.status, answer.raw).toBe(400);
  const [saved] = await database.raw.query<{ n: number }>(
    'select count(*)::int n from identity_documents where request_id = $1',
    [requestId],
  );
  expect(saved?.n).toBe(0);
});

test('a stock file cut off inside the file part is answered (400), and imports nothing', async () => {
  const staff = await staffClient(app, database, 'logistics@volna.example');
  const page = await staff.get('/staff/inventory');
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const rows = Array.from(
    { length: 2_000 },
    (_, i) => `8970177${String(900000000 + i).padStart(11, '0')}1,physical,`,
  ).join('\n');
  const body = multipart(
    { _csrf: csrf },
    {
      name: 'file',
      filename: 'stock.csv',
      type: 'text/csv',
      content: Buffer.from(`iccid,form_factor,center\n${rows}\n`),
    },
  );
  const before = await database.raw.query<{ n: number }>('select count(*)::int n from sims');
  const answer = await cutOff('/staff/inventory/import', cookieOf(staff), body, Math.floor(body.length / 2));
  expect(answer.status, answer.raw).toBe(400);
  const after = await database.raw.query<{ n: number }>('select count(*)::int n from sims');
  expect(after[0]?.n).toBe(before[0]?.n);
});
