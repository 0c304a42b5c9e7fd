import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, staffClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  // A second reviewer for four eyes, like the demo one.
  await database.raw.query(
    `insert into staff_users (operator_id, email, full_name, password_hash, totp_secret_encrypted, totp_confirmed_at)
     select operator_id, 'reviewer-2@volna.example', 'Second reviewer', password_hash, totp_secret_encrypted, now()
       from staff_users where email = 'reviewer@volna.example'`,
  );
  await database.raw.query(
    `insert into staff_roles (operator_id, staff_id, role)
     select operator_id, id, 'reviewer' from staff_users where email = 'reviewer-2@volna.example'`,
  );
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const esim = { reason: 'switch_to_esim', simType: 'esim', delivery: 'esim', deliveryAddress: null } as const;
const status = async (id: string) =>
  (await database.raw.query<{ status: string }>('select status from replacement_requests where id = $1', [id]))[0]
    ?.status;

test('the queue lists waiting requests oldest first with their risk, filters them, and opens each with its document', async () => {
  const first = await submittedRequest(database, '+79161110011', esim);
  const second = await submittedRequest(database, '+79161110021', esim);
  await database.raw.query("update replacement_requests set submitted_at = now() - interval '5 hours' where id = $1", [
    first.requestId,
  ]);
  await database.raw.query(
    "update replacement_requests set risk_score = 80, risk_signals = '{password_changed_recently,failed_sign_ins}' where id = $1",
    [second.requestId],
  );
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  const queue = await reviewer.get('/staff/review');
  expect(queue.statusCode).toBe(200);
  const order = [...queue.body.matchAll(/href="\/staff\/review\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
  expect(order.indexOf(first.requestId)).toBeLessThan(order.indexOf(second.requestId));
  expect(queue.body).toContain('High risk');
  const high = await reviewer.get('/staff/review?risk=high');
  expect(high.body).toContain(second.requestId);
  expect(high.body).not.toContain(first.requestId);
  const old = await reviewer.get('/staff/review?olderThanHours=4');
  expect(old.body).toContain(first.requestId);
  expect(old.body).not.toContain(second.requestId);

  const page = await reviewer.get(`/staff/review/${second.requestId}`);
  expect(page.body).toContain('The password was changed in the last 7 days.');
  expect(page.body).toContain('Several failed sign-ins in the last day.');
  expect(page.body).toContain('Russian internal passport');
  const scan = await reviewer.get(`/staff/review/${second.requestId}/document`);
  expect(scan.statusCode).toBe(200);
  expect(scan.headers['cache-control']).toBe('no-store');
  expect((await sharp(scan.rawPayload).metadata()).format).toBe('jpeg');
  const [viewed] = await database.raw.query<{ n: number }>(
    "select count(*)::int n from audit_log where action = 'document.viewed' and data->>'requestId' = $1",
    [second.requestId],
  );
  expect(viewed?.n).toBe(1);
});

test('approve, reject with a reason and ask for information; four eyes needs a different second reviewer', async () => {
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  const other = await staffClient(app, database, 'reviewer-2@volna.example');
  const plain = await submittedRequest(database, '+79161110031', esim);
  await reviewer.get(`/staff/review/${plain.requestId}`);
  const approved = await reviewer.post(`/staff/review/${plain.requestId}/approve`);
  expect(approved.headers.location).toBe(`/staff/review/${plain.requestId}?done=approved`);
  const shown = await reviewer.get(approved.headers.location as string);
  expect(shown.body).toContain('Approved. The subscriber has been told.');
  expect(shown.body).toMatch(/The new SIM can be activated from .* \(\d+ minutes? left\)/);

  const risky = await submittedRequest(database, '+79161110041', esim);
  await database.raw.query('update replacement_requests set four_eyes = true where id = $1', [risky.requestId]);
  await reviewer.get(`/staff/review/${risky.requestId}`);
  await reviewer.post(`/staff/review/${risky.requestId}/approve`);
  expect(await status(risky.requestId)).toBe('second_review');
  await reviewer.get(`/staff/review/${risky.requestId}`);
  const again = await reviewer.post(`/staff/review/${risky.requestId}/approve`);
  expect(again.statusCode).toBe(409);
  expect(again.body).toContain('a different reviewer must give the second approval');
  await other.get(`/staff/review/${risky.requestId}`);
  await other.post(`/staff/review/${risky.requestId}/approve`);
  expect(await status(risky.requestId)).toBe('approved');

  const refused = await submittedRequest(database, '+79161110051', esim);
  await reviewer.get(`/staff/review/${refused.requestId}`);
  const empty = await reviewer.post(`/staff/review/${refused.requestId}/reject`, { reason: '  ' });
  expect(empty.statusCode).toBe(400);
  expect(empty.body).toContain('Write the reason the subscriber will see');
  await reviewer.post(`/staff/review/${refused.requestId}/reject`, { reason: 'The photo page is unreadable' });
  expect(await status(refused.requestId)).toBe('rejected');

  const unclear = await submittedRequest(database, '+79161110061', esim);
  await reviewer.get(`/staff/review/${unclear.requestId}`);
  await reviewer.post(`/staff/review/${unclear.requestId}/request-info`, { note: 'Send the page with the photo' });
  expect(await status(unclear.requestId)).toBe('needs_info');
});

test('two reviewers deciding at once: one outcome, and the other is told', async () => {
  const a = await staffClient(app, database, 'reviewer@volna.example');
  const b = await staffClient(app, database, 'reviewer-2@volna.example');
  const { requestId } = await submittedRequest(database, '+79161110081', esim);
  await a.get(`/staff/review/${requestId}`);
  await b.get(`/staff/review/${requestId}`);
  const [approve, reject] = await Promise.all([
    a.post(`/staff/review/${requestId}/approve`),
    b.post(`/staff/review/${requestId}/reject`, { reason: 'Mismatch' }),
  ]);
  const outcomes = [approve.statusCode, reject.statusCode].sort();
  expect(outcomes).toEqual([303, 409]);
  const loser = approve.statusCode === 409 ? approve : reject;
  expect(loser.body).toContain('Someone else has just decided this request');
  expect(['approved', 'rejected']).toContain(await status(requestId));
});

test('only reviewers and admins of this operator reach the queue, its pages and the scans', async () => {
  const { requestId } = await submittedRequest(database, '+79161110091', esim);
  const urls = ['/staff/review', `/staff/review/${requestId}`, `/staff/review/${requestId}/document`];
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  for (const url of urls) {
    const refused = await logistics.get(url);
    expect(refused.statusCode, url).toBe(403);
    expect(refused.body).toContain('Not available to you');
  }
  await logistics.get('/staff/home');
  expect((await logistics.post(`/staff/review/${requestId}/approve`)).statusCode).toBe(403);
  const admin = await staffClient(app, database, 'admin@volna.example');
  expect((await admin.get(`/staff/review/${requestId}`)).statusCode).toBe(200);
  const foreign = await staffClient(app, database, 'reviewer@sever.example', 'sever.localhost');
  expect((await foreign.get(`/staff/review/${requestId}`)).statusCode).toBe(404);
  expect((await foreign.get(`/staff/review/${requestId}/document`)).statusCode).toBe(404);
  expect((await foreign.get('/staff/review')).body).not.toContain(requestId);
  const subscriber = await signedInClient(app, '+79161110001');
  for (const url of urls) expect((await subscriber.get(url)).headers.location, url).toBe('/staff');
  expect(await status(requestId)).toBe('in_review');
});
