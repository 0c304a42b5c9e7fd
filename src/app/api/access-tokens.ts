import { createHash, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/** What a verified access token says: whose it is, for which operator, what it may do. */
export type AccessToken = {
  /** The API client's row id. */
  clientId: string;
  operatorId: string;
  scopes: string[];
  /** Set in a three-legged token: the subscriber who consented, identified by their number. */
  phoneNumber: string | null;
  /** The client's calls per minute (see api_clients.rate_per_minute). */
  ratePerMinute: number;
  expiresAt: number;
};

export const ACCESS_TOKEN_SECONDS = 300;
const ISSUER = 'simdesk';
const AUDIENCE = 'simdesk-api';
/** Verified tokens are remembered until they expire, so a call costs one HMAC at most and no database. */
const REMEMBERED = 10_000;

/**
 * Short-lived signed JWT access tokens (RFC 9068 shape, HS256 under a key derived from the
 * server's secret). They are checked by signature, expiry and the in-memory list of revoked
 * clients, so no call to the API costs a database round trip for its token, and a revoked
 * client's tokens stop as soon as the database announces the revocation.
 */
export function accessTokens(secret: string, revoked: { has(clientId: string): boolean } = { has: () => false }) {
  const key = createHash('sha256').update(`access-token:${secret}`).digest();
  const verified = new Map<string, AccessToken>();

  return {
    async issue(
      grant: { clientId: string; operatorId: string; scopes: string[]; ratePerMinute: number; phoneNumber?: string },
      now = new Date(),
    ): Promise<{ token: string; expiresIn: number }> {
      const issuedAt = Math.floor(now.getTime() / 1000);
      const token = await new SignJWT({
        scope: grant.scopes.join(' '),
        op: grant.operatorId,
        rl: grant.ratePerMinute,
        ...(grant.phoneNumber ? { phone_number: grant.phoneNumber } : {}),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(grant.clientId)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ACCESS_TOKEN_SECONDS)
        .sign(key);
      return { token, expiresIn: ACCESS_TOKEN_SECONDS };
    },

    /** The token's grant, or null when it is forged, malformed, for someone else or expired. */
    async verify(token: string, now = new Date()): Promise<AccessToken | null> {
      const known = verified.get(token);
      if (known) return known.expiresAt > now.getTime() && !revoked.has(known.clientId) ? known : null;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: 'at+jwt',
          currentDate: now,
        });
        if (
          typeof payload.sub !== 'string' ||
          typeof payload.op !== 'string' ||
          typeof payload.scope !== 'string' ||
          typeof payload.rl !== 'number'
        )
          return null;
        const grant: AccessToken = {
          clientId: payload.sub,
          operatorId: payload.op,
          scopes: payload.scope.split(' ').filter(Boolean),
          phoneNumber: typeof payload.phone_number === 'string' ? payload.phone_number : null,
          ratePerMinute: payload.rl,
          expiresAt: (payload.exp ?? 0) * 1000,
        };
        if (revoked.has(grant.clientId)) return null;
        if (verified.size >= REMEMBERED) verified.clear();
        verified.set(token, grant);
        return grant;
      } catch (error) {
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof accessTokens>;
