import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
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

test('stock by place, kind and status, and a SIM found by its ICCID with its request', async () => {
  const staff = await demoStaff(database);
  const { requestId } = await submittedRequest(database, '+79161110011', { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  const [sim] = await database.raw.query<{ iccid: string; reference: string }>(
    'select s.iccid, r.reference from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
    [requestId],
  );
  const [warehouse] = await database.raw.query<{ n: number }>(
    `select count(*)::int n from sims s join operators o on o.id = s.operator_id
      where o.slug = 'volna' and s.center_id is null and s.status = 'in_stock' and s.form_factor <> 'esim'`,
  );
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  const page = await logistics.get('/staff/inventory');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`Central warehouse · SIM cards</h3><dl><dt>In stock</dt><dd>${warehouse?.n}</dd>`);
  expect(page.body).toContain('<dt>Reserved</dt><dd>1</dd>');

  const spaced = (sim?.iccid ?? '').replace(/(\d{4})/g, '$1 ');
  const found = await logistics.get(`/staff/inventory?iccid=${encodeURIComponent(spaced)}`);
  expect(found.body).toContain(sim?.reference);
  expect(found.body).toContain('<dd>Reserved</dd>');
  expect((await logistics.get('/staff/inventory?iccid=8970100000000009991')).body).toContain('No SIM of this operator');

  const foreign = await staffClient(app, database, 'logistics@sever.example', 'sever.localhost');
  expect((await foreign.get(`/staff/inventory?iccid=${sim?.iccid}`)).body).toContain('No SIM of this operator');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/inventory')).statusCode).toBe(403);
});
