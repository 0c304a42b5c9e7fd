import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessTokens } from '../../app/api/access-tokens.ts';
import { clientByCredentials, noteClientUsed } from '../../app/api/api-clients.ts';
import type { Db } from '../../db/client.ts';
import { isBadInputValue } from '../../db/conflicts.ts';
import { API_SCOPES } from '../../db/schema/api.ts';
import { isUnavailable, RETRY_AFTER_SECONDS } from '../shared/retry-after.ts';

type Options = { db: Db; tokens: AccessTokens; now: () => Date };
type TokenBody = { grant_type?: string; scope?: string; client_id?: string; client_secret?: string };

/**
 * A scope simdesk knows that the client holds, or a narrower known one of it (`sim-swap:check`
 * under `sim-swap`); a made-up scope such as `sim-swap:check:extra` is never issued.
 */
const grantable = (scope: string, granted: readonly string[]) =>
  API_SCOPES.some((known) => known === scope) &&
  (granted.includes(scope) || granted.some((g) => scope.startsWith(`${g}:`)));

/** RFC 6749 §5.2: the error, never cached. */
export const oauthError = (reply: FastifyReply, status: number, error: string, description?: string) => {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="simdesk"');
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .send(description ? { error, error_description: description } : { error });
};

/** Any failure on an OAuth path, in RFC 6749's shape: the client's (invalid_request) or the server's. */
export function oauthErrorHandler(
  error: Error & { statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (isUnavailable(error)) {
    reply.header('retry-after', RETRY_AFTER_SECONDS);
    return oauthError(reply, 503, 'temporarily_unavailable');
  }
  const status = isBadInputValue(error) ? 400 : (error.statusCode ?? 500);
  if (status >= 500) {
    request.log.error({ err: error }, 'OAuth request failed');
    return oauthError(reply, 500, 'server_error');
  }
  request.log.info({ err: error }, 'bad OAuth request');
  return oauthError(
    reply,
    status,
    'invalid_request',
    status === 415 ? 'Send application/x-www-form-urlencoded.' : undefined,
  );
}

/** client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret in Basic), else client_secret_post. */
function credentials(authorization: string | undefined, body: TokenBody): { id: string; secret: string } | null {
  const basic = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return null;
    }
  }
  return body.client_id && body.client_secret ? { id: body.client_id, secret: body.client_secret } : null;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for API clients: a short-lived signed access
 * token with the scopes asked for, which must be among those the operator granted the client.
 */
export async function oauthRoutes(app: FastifyInstance, { db, tokens, now }: Options) {
  app.post<{ Body: TokenBody }>(
    '/oauth/token',
    { config: { csrf: false, accepts: ['application/x-www-form-urlencoded'] } },
    async (request, reply) => {
      const body = (request.body ?? {}) as TokenBody;
      // RFC 6749 §3.2: no parameter more than once (a repeated one arrives as a list).
      if (Object.values(body).some(Array.isArray))
        return oauthError(reply, 400, 'invalid_request', 'A parameter was sent more than once.');
      const given = credentials(request.headers.authorization, body);
      const client = given ? await clientByCredentials(db, given.id, given.secret) : null;
      if (!client || client.operatorId !== request.operator.id) return oauthError(reply, 401, 'invalid_client');
      if (body.grant_type !== 'client_credentials') return oauthError(reply, 400, 'unsupported_grant_type');
      const asked = (body.scope ?? '').split(' ').filter(Boolean);
      const scopes = asked.length > 0 ? asked : client.scopes;
      if (!scopes.every((s) => grantable(s, client.scopes))) return oauthError(reply, 400, 'invalid_scope');
      const issued = await tokens.issue(
        { clientId: client.id, operatorId: client.operatorId, scopes, ratePerMinute: client.ratePerMinute },
        now(),
      );
      await noteClientUsed(db, client.id, now());
      return reply.header('cache-control', 'no-store').send({
        access_token: issued.token,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        scope: scopes.join(' '),
      });
    },
  );
}
