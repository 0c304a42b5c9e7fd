import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

test("admins read their operator's audit log filtered by action, request, number and day, with each entry's chain status", async () => {
  const staff = await demoStaff(database);
  const { requestId } = await submittedRequest(database, '+79161110011', { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  const [request] = await database.raw.query<{ reference: string }>(
    'select reference from replacement_requests where id = $1',
    [requestId],
  );
  const admin = await staffClient(app, database, 'admin@volna.example');
  const all = await admin.get('/staff/audit');
  expect(all.statusCode).toBe(200);
  expect(all.body).toContain('The hash chain of the whole log verifies.');
  expect(all.body).toContain('request.approve');
  expect(all.body).toContain('reviewer@volna.example');

  const byRequest = await admin.get(`/staff/audit?request=${request?.reference}`);
  expect(byRequest.body).toContain('request.approve');
  expect(byRequest.body).not.toContain('staff.sign_in');
  expect((await admin.get('/staff/audit?line=8%20916%20111-00-11')).body).toContain('request.approve');
  expect((await admin.get('/staff/audit?line=%2B79161110091')).body).not.toContain('request.approve');
  expect((await admin.get('/staff/audit?action=staff.')).body).not.toContain('request.approve');
  expect((await admin.get('/staff/audit?from=2001-01-01&to=2001-01-02')).body).toContain('No entries match.');

  const foreign = await staffClient(app, database, 'admin@sever.example', 'sever.localhost');
  expect((await foreign.get('/staff/audit')).body).not.toContain('request.approve');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/audit')).statusCode).toBe(403);

  const [approval] = await database.raw.query<{ id: number }>(
    "select id from audit_log where action = 'request.approve' and target_id = $1",
    [requestId],
  );
  await database.raw.query(`update audit_log set data = '{"to":"rejected"}' where id = $1`, [approval?.id]);
  const broken = await admin.get('/staff/audit');
  expect(broken.body).toContain(`The hash chain is broken at entry #${approval?.id}`);
  expect(broken.body).toContain('The chain breaks here');
  expect(broken.body).toContain('After the break: cannot be verified');
});
