import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { blockLine, unblockLine } from '../../src/app/lines/line-blocking.ts';
import type { Database } from '../../src/db/client.ts';
import { verifySignature } from '../../src/integrations/signed-notifications.ts';
import { outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { webhookHandlers } from '../../src/jobs/webhook-handlers.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

/** The operator's system: answers 503 while `down`, otherwise records each event with its signature. */
let down = true;
const received: { body: string; signature: string; event: string }[] = [];
let sink: Server;
let sinkUrl: string;
let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  sink = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (down) {
        response.writeHead(503).end('maintenance');
        return;
      }
      received.push({
        body,
        signature: String(request.headers['simdesk-signature']),
        event: String(request.headers['simdesk-event']),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/simdesk-events`;
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
  sink.close();
});

test('an administrator subscribes a system; a blocked line is posted to it signed, and a sink that was down gets it later', async () => {
  const admin = await staffClient(app, database, 'admin@volna.example');
  await admin.get('/staff/webhooks');
  const bad = await admin.post('/staff/webhooks', { url: 'http://example.com/hook' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('Enter an https:// address');
  expect(bad.body).toContain('Choose at least one event');
  expect(bad.body).toContain('value="http://example.com/hook"');
  const created = await admin.post('/staff/webhooks', { url: sinkUrl, events: 'line.blocked' });
  const secret = created.body.match(/<code>(whsec_[\w-]+)<\/code>/)?.[1] as string;
  expect(secret).toBeDefined();

  const [line] = await database.raw.query<{ id: string; operator_id: string; account_id: string }>(
    "select id, operator_id, account_id from lines where msisdn = '+79161110001'",
  );
  const actor = { operatorId: line?.operator_id as string, accountId: line?.account_id as string, ip: '127.0.0.1' };
  await blockLine(database.db, actor, line?.id as string);
  const worker = outboxWorker({
    db: database.db,
    handlers: webhookHandlers(database.db, testConfig.documentKey, testConfig.partners),
  });
  await worker.drain();
  expect(received).toEqual([]);
  const log = (await admin.get('/staff/webhooks')).body;
  // The status and timing are kept, never what the partner's server answered (it could be anyone's page).
  expect(log).toMatch(/503 \d+ ms/);
  expect(log).not.toContain('maintenance');

  down = false;
  await database.raw.query(
    "update outbox set next_attempt_at = now() - interval '1 second' where topic = 'webhook.deliver'",
  );
  await worker.drain();
  expect(received).toHaveLength(1);
  const [event] = received;
  expect(verifySignature(secret, event?.body ?? '', event?.signature).ok).toBe(true);
  expect(event?.event).toBe('line.blocked');
  expect(JSON.parse(event?.body ?? '{}')).toMatchObject({ type: 'line.blocked', data: { msisdn: '+79161110001' } });
  expect((await admin.get('/staff/webhooks')).body).toContain('Delivered (204)');
  const [delivery] = await database.raw.query<{ attempts: number }>('select attempts from webhook_deliveries');
  expect(delivery?.attempts).toBe(2);

  // Unblocking is an event this subscription did not choose; after it is switched off, nothing is sent to it.
  await unblockLine(database.db, actor, line?.id as string);
  const [subscription] = await database.raw.query<{ id: string }>('select id from webhook_subscriptions');
  expect((await admin.post(`/staff/webhooks/${subscription?.id}/disable`)).headers.location).toBe('/staff/webhooks');
  await blockLine(database.db, actor, line?.id as string);
  expect(await database.raw.query('select event from webhook_deliveries')).toEqual([{ event: 'line.blocked' }]);
  await worker.stop();
});
