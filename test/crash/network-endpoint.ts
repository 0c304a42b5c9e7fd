import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signProvisioningRequest } from '../../src/integrations/provisioning/http-provisioning.ts';

export type NetworkLine = { state: 'active' | 'suspended'; imsi: string | null };

/**
 * The operator's network as the crash suite sees it: the other side of simdesk's HTTP
 * provisioning contract, in the test process so it outlives every kill of the app. It checks
 * each signature, applies a key once (a repeat answers 409 and changes nothing, as the contract
 * says), answers one call in twenty with 503 and waits a few milliseconds before answering.
 */
export async function startNetworkEndpoint(secret: string) {
  const lines = new Map<string, NetworkLine>();
  const applied = new Set<string>();
  const tally = { calls: 0, applied: 0, repeats: 0, unsigned: 0, outages: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    tally.calls++;
    const timestamp = String(req.headers['x-simdesk-timestamp'] ?? '');
    const answer = (status: number) => {
      res.writeHead(status);
      res.end();
    };
    if (
      req.headers['x-simdesk-signature'] !== signProvisioningRequest(secret, timestamp, 'POST', req.url ?? '', body)
    ) {
      tally.unsigned++;
      return answer(401);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    if (Math.random() < 0.05) {
      tally.outages++;
      return answer(503);
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    if (applied.has(key)) {
      tally.repeats++;
      return answer(409);
    }
    const [, msisdn, operation] = (req.url ?? '').match(/\/lines\/([^/]+)\/(suspend|resume|swap)$/) ?? [];
    if (!msisdn || !operation) return answer(404);
    const number = decodeURIComponent(msisdn);
    const line = lines.get(number) ?? { state: 'active', imsi: null };
    if (operation === 'suspend') line.state = 'suspended';
    if (operation === 'resume') line.state = 'active';
    if (operation === 'swap') line.imsi = (JSON.parse(body) as { imsi: string }).imsi;
    lines.set(number, line);
    applied.add(key);
    tally.applied++;
    answer(200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/network`,
    lines,
    applied,
    tally,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
