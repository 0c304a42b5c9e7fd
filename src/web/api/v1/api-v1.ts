import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Vault } from '../../../app/documents/identity-document.ts';
import type { Links } from '../../../app/operators/links.ts';
import { API_SCOPES, type ApiScope } from '../../../db/schema/api.ts';
import type { OutboundPolicy } from '../../../integrations/outbound/partner-post.ts';
import './api-token.ts';
import type { Db } from '../../../db/client.ts';
import type { PaymentGateway } from '../../../integrations/payments/payment-gateway.ts';
import type { ApiCaller } from '../client-allowance.ts';
import { centerRoutes } from './center-routes.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import { lineRoutes } from './line-routes.ts';
import { problemErrorHandler, sendProblem } from './problems.ts';
import { requestRoutes } from './request-routes.ts';
import { simChangeRoutes } from './sim-change-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

export type ApiOptions = {
  db: Db;
  caller: ApiCaller;
  links: Links;
  vault: Vault;
  gateway: PaymentGateway;
  partners: OutboundPolicy;
  onOutboxWrite: () => void;
  now: () => Date;
};

export const API_VERSION = '1.0.0';

/**
 * The REST API: every route declares zod schemas, from which requests are validated, answers
 * serialized and the OpenAPI 3.1 document generated (`/api/v1/openapi.json`, browsable at
 * `/api/docs` from the pinned swagger-ui-dist). Calls carry a bearer token from `/oauth/token`
 * with the route's scope, count against their client's allowance, and every error is an RFC 9457
 * problem.
 */
export async function apiRoutes(app: FastifyInstance, options: ApiOptions) {
  await app.register(
    async (api) => {
      await api.register(fastifySwagger, {
        openapi: {
          openapi: '3.1.0',
          info: {
            title: 'simdesk REST API',
            version: API_VERSION,
            description:
              'SIM replacement for operator systems: requests, lines, service centers, inventory, SIM changes and webhooks. See docs/api.md.',
            license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
          },
          components: {
            securitySchemes: {
              oauth2: {
                type: 'oauth2',
                flows: {
                  clientCredentials: {
                    tokenUrl: '/oauth/token',
                    scopes: Object.fromEntries(API_SCOPES.map((s) => [s, s])),
                  },
                },
              },
            },
          },
        },
        transform: jsonSchemaTransform,
        transformObject: jsonSchemaTransformObject,
      });
      await api.register(fastifySwaggerUi, {
        routePrefix: '/docs',
        uiConfig: { deepLinking: true, validatorUrl: null },
        logo: {
          type: 'image/svg+xml',
          content: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><text x="0" y="29" font-family="sans-serif" font-size="26" font-weight="700" fill="#fff">simdesk API</text></svg>',
          ),
          href: '/api/docs',
        },
        // The hash is of the one <style> element swagger-ui adds at run time (in the pinned version).
        staticCSP:
          "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
      });
      await api.register(async (v1) => version1(v1, options), { prefix: '/v1' });
    },
    { prefix: '/api' },
  );
}

/**
 * What a REST route needs: its scope; nothing for its own document and the not-found answer; and
 * for a route that forgot to name its scope, refusal: it fails closed, open to nobody.
 */
export function routeScope(config: { scope?: ApiScope; public?: true }, is404: boolean): ApiScope | 'open' | 'closed' {
  if (config.public || is404) return 'open';
  return config.scope ?? 'closed';
}

async function version1(api: FastifyInstance, options: ApiOptions) {
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);
  api.setErrorHandler(problemErrorHandler);
  api.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, 'not-found', 'No such route.'));

  // Answers carry subscribers' data: no shared cache keeps them.
  api.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = routeScope(request.routeOptions.config, request.is404);
    if (scope === 'open') return;
    if (scope === 'closed')
      return sendProblem(request, reply, 403, 'insufficient-scope', 'This call is not open to any client.');
    const token = await options.caller(request, reply, [scope]);
    if (token === 'unauthenticated')
      return sendProblem(request, reply, 401, 'unauthenticated', 'A valid bearer token from /oauth/token is needed.');
    if (token === 'forbidden')
      return sendProblem(request, reply, 403, 'insufficient-scope', `This call needs the scope ${scope}.`);
    if (token === 'rate_limited')
      return sendProblem(request, reply, 429, 'rate-limited', 'Too many calls; see the Retry-After header.');
    request.apiToken = token;
  });

  api.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => api.swagger());
  await api.register(requestRoutes, options);
  await api.register(lineRoutes, options);
  await api.register(centerRoutes, options);
  await api.register(inventoryRoutes, options);
  await api.register(simChangeRoutes, options);
  await api.register(webhookRoutes, options);
}
