import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  acceptablePartnerUrl,
  isPublicAddress,
  OutboundRefused,
  partnerPost,
} from '../../src/integrations/outbound/partner-post.ts';

const production = { allowedHosts: [] };

/** Every spelling of an address inside the network the attack pass used, and a few more. */
const INSIDE = [
  'https://127.0.0.1/',
  'https://127.1/',
  'https://2130706433/',
  'https://0x7f000001/',
  'https://0177.0.0.1/',
  'https://localhost/',
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.1/',
  'https://192.168.1.1/',
  'https://172.16.0.5/',
  'https://100.64.0.1/',
  'https://224.0.0.1/',
  'https://0.0.0.0/',
  'https://[::1]/',
  'https://[fd00::1]/',
  'https://[fe80::1]/',
  'https://[::ffff:127.0.0.1]/',
  'https://[::ffff:10.0.0.1]/',
  'https://metadata.google.internal/computeMetadata/v1/',
];

test('no spelling of a loopback, private, link-local, CGNAT, multicast or unique-local address is accepted or called', async () => {
  const accepted = INSIDE.filter(
    (url) => acceptablePartnerUrl(production, url) && !url.includes('internal') && !url.includes('localhost'),
  );
  expect(accepted).toEqual([]);
  const called: string[] = [];
  for (const url of INSIDE) {
    const outcome = await partnerPost(production, url, { headers: {}, body: '{}', timeoutMs: 2_000 }).then(
      () => 'called',
      (error) => (error instanceof OutboundRefused ? 'refused' : `failed: ${error.message}`),
    );
    // A name that does not resolve here (no DNS on the test machine) is not called either.
    if (outcome === 'called' || (outcome !== 'refused' && !outcome.includes('ENOTFOUND')))
      called.push(`${url}: ${outcome}`);
  }
  expect(called).toEqual([]);
  expect(acceptablePartnerUrl(production, 'http://crm.example.com/hook')).toBe(false);
  expect(acceptablePartnerUrl(production, 'https://user:pass@crm.example.com/hook')).toBe(false);
  expect(acceptablePartnerUrl(production, 'https://crm.example.com/hook')).toBe(true);
  expect(isPublicAddress('93.184.216.34')).toBe(true);
  expect(isPublicAddress('2606:2800:220:1:248:1893:25c8:1946')).toBe(true);
});

let server: ReturnType<typeof createServer>;
let port = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/redirect') {
      response.writeHead(302, { location: 'http://127.0.0.1:1/secret' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end('<html>the internal admin page</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an internal partner named in PARTNER_HOSTS is called; no redirect is followed and only status and timing come back', async () => {
  const named = { allowedHosts: ['127.0.0.1'] };
  const answered = await partnerPost(named, `http://127.0.0.1:${port}/hook`, {
    headers: {},
    body: '{}',
    timeoutMs: 2_000,
  });
  expect(answered.status).toBe(200);
  expect(Object.keys(answered).sort()).toEqual(['ms', 'status']);
  const redirected = await partnerPost(named, `http://127.0.0.1:${port}/redirect`, {
    headers: {},
    body: '{}',
    timeoutMs: 2_000,
  });
  expect(redirected.status).toBe(302);
  await expect(
    partnerPost(production, `http://127.0.0.1:${port}/hook`, { headers: {}, body: '{}', timeoutMs: 2_000 }),
  ).rejects.toBeInstanceOf(OutboundRefused);
});
