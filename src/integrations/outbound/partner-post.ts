import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where simdesk may send what partners ask for (webhook URLs, CAMARA sinks): public addresses
 * only, unless the operator names an internal partner's host in PARTNER_HOSTS. A URL naming a
 * loopback, private, link-local, CGNAT, multicast, unique-local or IPv4-mapped address, however
 * spelt, would let a client make simdesk call inside the operator's network.
 */
export type OutboundPolicy = { allowedHosts: readonly string[] };

export class OutboundRefused extends Error {
  readonly retryable = true;
}

/** Whether an address may be called: a public unicast one (IPv4-mapped IPv6 judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

const allowed = (policy: OutboundPolicy, host: string) => policy.allowedHosts.includes(host.toLowerCase());

/** The host of a URL as the connection will use it (the URL parser turns `127.1` or `0x7f000001` into `127.0.0.1`). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Whether a URL may be stored as a partner's address now: HTTPS (or HTTP to an allowed host),
 * no credentials, and not an address literal inside the network. Names are resolved again at
 * each delivery, where the real check is.
 */
export function acceptablePartnerUrl(policy: OutboundPolicy, raw: string): boolean {
  try {
    const url = new URL(raw);
    if (url.username || url.password || url.hash) return false;
    const host = hostOf(url);
    if (allowed(policy, host)) return url.protocol === 'https:' || url.protocol === 'http:';
    if (url.protocol !== 'https:') return false;
    return !ipaddr.isValid(host) || isPublicAddress(host);
  } catch {
    return false;
  }
}

export type PartnerAnswer = { status: number; ms: number };

/**
 * POSTs to a partner: the host is resolved here and every address it resolves to checked, and
 * the connection is made to the checked address (so a name that resolves differently a moment
 * later, DNS rebinding, cannot switch it); no redirect is followed; the answer's body is read and
 * dropped, and only its status and timing kept.
 */
export async function partnerPost(
  policy: OutboundPolicy,
  raw: string,
  request: { headers: Record<string, string>; body: string; timeoutMs: number; signal?: AbortSignal },
): Promise<PartnerAnswer> {
  const url = new URL(raw);
  const host = hostOf(url);
  const open = allowed(policy, host);
  if (!acceptablePartnerUrl(policy, raw))
    throw new OutboundRefused(`${url.origin} is not a partner address simdesk calls`);
  const addresses = await lookup(host, { all: true, verbatim: true });
  const usable = addresses.filter((a) => open || isPublicAddress(a.address));
  const chosen = usable[0];
  if (!chosen || usable.length !== addresses.length)
    throw new OutboundRefused(`${host} resolves to an address inside the network; refused`);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: chosen.address, family: chosen.family }]);
    else callback(null, chosen.address, chosen.family);
  };
  const started = performance.now();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PartnerAnswer>((resolve, reject) => {
    const call = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body).toString() },
        lookup: pinned,
        signal: AbortSignal.any([AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])]),
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: Math.round(performance.now() - started) }),
        );
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(request.body);
  });
}
