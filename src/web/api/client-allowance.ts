import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken, AccessTokens } from '../../app/api/access-tokens.ts';
import { rateLimiter } from '../../app/api/rate-limiter.ts';
import type { Database } from '../../db/client.ts';

/**
 * Each API client's calls per minute, taken from its token's allowance with `RateLimit` and
 * `RateLimit-Policy` headers (draft-ietf-httpapi-ratelimit-headers) on every answer, and
 * `Retry-After` when the call is over it.
 */
function clientAllowance(database: Database, now: () => Date) {
  const limits = rateLimiter(database);
  return async (reply: FastifyReply, token: AccessToken): Promise<boolean> => {
    const taken = await limits.take(token.clientId, token.ratePerMinute, now().getTime());
    reply
      .header('ratelimit-policy', `"per-client";q=${token.ratePerMinute};w=60`)
      .header('ratelimit', `"per-client";r=${Math.max(0, taken.remaining)};t=${taken.resetSeconds}`);
    if (!taken.allowed) reply.header('retry-after', String(taken.resetSeconds));
    return taken.allowed;
  };
}

/** The token of `Authorization: Bearer …` (the scheme in any case, RFC 6750 and 9110), or null. */
const bearerOf = (authorization: string | undefined) =>
  /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization ?? '')?.[1] ?? null;

export type CallRefusal = 'unauthenticated' | 'forbidden' | 'rate_limited';

/**
 * Who is calling an API: a bearer token of this operator, unexpired and not revoked, holding one
 * of `scopes`, within its client's allowance. One caller serves every API (CAMARA and REST), so
 * a client's calls per minute are counted together, across every instance.
 */
export function apiCaller(tokens: AccessTokens, database: Database, now: () => Date) {
  const allowance = clientAllowance(database, now);
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    scopes: readonly string[],
  ): Promise<AccessToken | CallRefusal> => {
    const bearer = bearerOf(request.headers.authorization);
    const token = bearer ? await tokens.verify(bearer, now()) : null;
    if (!token || token.operatorId !== request.operator.id) return 'unauthenticated';
    if (!scopes.some((s) => token.scopes.includes(s))) return 'forbidden';
    if (!(await allowance(reply, token))) return 'rate_limited';
    return token;
  };
}

export type ApiCaller = ReturnType<typeof apiCaller>;
