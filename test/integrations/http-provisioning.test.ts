import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { HttpProvisioning, signProvisioningRequest } from '../../src/integrations/provisioning/http-provisioning.ts';

/** The generic HTTP provisioning adapter against a local endpoint keeping the contract's other side. */
const secret = 'p'.repeat(40);
const received: { path: string; key: string; body: unknown; signed: boolean }[] = [];
let answer = 200;
let delayMs = 0;
let base = '';
const server = createServer(async (req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString();
  const timestamp = req.headers['x-simdesk-timestamp'] as string;
  const signed =
    req.headers['x-simdesk-signature'] === signProvisioningRequest(secret, timestamp, 'POST', req.url ?? '', body);
  received.push({ path: req.url ?? '', key: req.headers['idempotency-key'] as string, body: JSON.parse(body), signed });
  setTimeout(() => {
    res.writeHead(answer);
    res.end();
  }, delayMs);
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bss/simdesk`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const adapter = (timeoutMs = 1_000) => new HttpProvisioning({ url: base, secret, timeoutMs });

test('each operation is one signed POST carrying its idempotency key', async () => {
  await adapter().swapSim({
    msisdn: '+79161110001',
    newIccid: '8970101000000000018',
    newImsi: '250970000000001',
    idempotencyKey: 'swap:r1',
  });
  await adapter().suspendLine({ msisdn: '+79161110001', idempotencyKey: 'suspend:l1:1' });
  expect(received).toEqual([
    {
      path: '/bss/simdesk/lines/%2B79161110001/swap',
      key: 'swap:r1',
      body: { iccid: '8970101000000000018', imsi: '250970000000001' },
      signed: true,
    },
    { path: '/bss/simdesk/lines/%2B79161110001/suspend', key: 'suspend:l1:1', body: {}, signed: true },
  ]);
});

test('a key already applied is done; a refusal is final; an outage and a time-out are retried', async () => {
  answer = 409;
  await expect(adapter().resumeLine({ msisdn: '+79161110001', idempotencyKey: 'k1' })).resolves.toBeUndefined();
  answer = 422;
  await expect(adapter().resumeLine({ msisdn: '+79161110001', idempotencyKey: 'k2' })).rejects.toMatchObject({
    retryable: false,
  });
  answer = 503;
  await expect(adapter().resumeLine({ msisdn: '+79161110001', idempotencyKey: 'k3' })).rejects.toMatchObject({
    retryable: true,
  });
  answer = 200;
  delayMs = 300;
  await expect(adapter(100).resumeLine({ msisdn: '+79161110001', idempotencyKey: 'k4' })).rejects.toMatchObject({
    retryable: true,
  });
  delayMs = 0;
});
