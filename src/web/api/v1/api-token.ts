import type { FastifyRequest } from 'fastify';
import type { AccessToken } from '../../../app/api/access-tokens.ts';
import type { ApiScope } from '../../../db/schema/api.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified bearer token of a REST API call. */
    apiToken?: AccessToken;
  }
  interface FastifyContextConfig {
    /** The scope a REST API route needs; a route without one is refused unless it is marked public. */
    scope?: ApiScope;
    /** A REST API route anyone may call (its own OpenAPI document). */
    public?: true;
  }
}

/** The token of an authenticated route's call; the hook has set it before any handler runs. */
export const tokenOf = (request: FastifyRequest): AccessToken => request.apiToken as AccessToken;

/** Route options of an authenticated JSON route. */
export const authorized = (scope: ApiScope) => ({ csrf: false, accepts: ['application/json' as const], scope });

/** The OpenAPI security requirement for a scope. */
export const needs = (scope: ApiScope) => [{ oauth2: [scope] }];
