import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
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

const token = (clientId: string, secret: string) =>
  app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: {
      host: 'localhost',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials',
  });

test('an administrator creates a client (the secret shown once), sees its calls by month, and revokes it', async () => {
  const admin = await staffClient(app, database, 'admin@volna.example');
  const page = await admin.get('/staff/api-clients');
  expect(page.statusCode).toBe(200);
  expect(page.headers['cache-control']).toBe('no-store');
  const missing = await admin.post('/staff/api-clients', { name: 'Bank' });
  expect(missing.statusCode).toBe(400);
  expect(missing.body).toContain('Choose at least one scope');
  expect(missing.body).toContain('value="Bank"');
  const created = await admin.post('/staff/api-clients', { name: 'Sberbank fraud desk', scopes: 'sim-swap:check' });
  expect(created.body).toContain('the secret is shown only this once');
  const clientId = created.body.match(/<code>(sd_[^<]+)<\/code>/)?.[1] ?? '';
  const secret = created.body.match(/client_secret<\/dt><dd class="breakable"><code>([^<]+)<\/code>/)?.[1] ?? '';
  expect(secret.length).toBeGreaterThan(30);
  expect((await admin.get('/staff/api-clients')).body).not.toContain(secret);

  const issued = await token(clientId, secret);
  expect(issued.statusCode).toBe(200);
  const check = () =>
    app.inject({
      method: 'POST',
      url: '/sim-swap/v2/check',
      headers: {
        host: 'localhost',
        authorization: `Bearer ${issued.json().access_token}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ phoneNumber: '+79161110001' }),
    });
  expect((await check()).statusCode).toBe(200);
  await app.apiUsage.flush();
  const month = new Date().toISOString().slice(0, 7);
  const listed = await admin.get('/staff/api-clients');
  expect(listed.body).toContain(`<td>${month}</td><td class="breakable">sim-swap/check</td><td>1</td>`);

  const [row] = await database.raw.query<{ id: string }>('select id from api_clients where client_id = $1', [clientId]);
  expect((await admin.post(`/staff/api-clients/${row?.id}/revoke`)).statusCode).toBe(303);
  expect((await token(clientId, secret)).statusCode).toBe(401);
  // The token it already had stops too, as soon as the database announces the revocation (on PostgreSQL a moment later).
  let refused = (await check()).statusCode;
  for (let i = 0; i < 100 && refused !== 401; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    refused = (await check()).statusCode;
  }
  expect(refused).toBe(401);
  const [audit] = await database.raw.query<{ n: number }>(
    "select count(*)::int n from audit_log where action in ('api_client.create', 'api_client.revoke') and target_id = $1",
    [row?.id],
  );
  expect(audit?.n).toBe(2);
  const sever = await staffClient(app, database, 'admin@sever.example', 'sever.localhost');
  expect((await sever.get('/staff/api-clients')).body).not.toContain(clientId);
});
