import type { FastifyReply } from 'fastify';
import type { AccessToken } from '../../app/api/access-tokens.ts';
import { rateLimiter } from '../../app/api/rate-limiter.ts';

/**
 * Each API client's calls per minute, taken from its token's allowance with `RateLimit` and
 * `RateLimit-Policy` headers (draft-ietf-httpapi-ratelimit-headers) on every answer, and
 * `Retry-After` when the call is over it.
 */
export function clientAllowance(now: () => Date) {
  const limits = rateLimiter();
  return (reply: FastifyReply, token: AccessToken): boolean => {
    const taken = limits.take(token.clientId, token.ratePerMinute, now().getTime());
    reply
      .header('ratelimit-policy', `"per-client";q=${token.ratePerMinute};w=60`)
      .header('ratelimit', `"per-client";r=${Math.max(0, taken.remaining)};t=${taken.resetSeconds}`);
    if (!taken.allowed) reply.header('retry-after', String(taken.resetSeconds));
    return taken.allowed;
  };
}

/** The token of `Authorization: Bearer …`, or null. */
export const bearerOf = (authorization: string | undefined) =>
  /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '')?.[1] ?? null;
