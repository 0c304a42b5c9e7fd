import type { FastifyInstance } from 'fastify';

/** Asks `/oauth/token` for a client-credentials token as an API client does, with `scope` if given. */
export const askToken = (app: FastifyInstance, client: { clientId: string; secret: string }, scope?: string) =>
  app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
      ...(scope ? { scope } : {}),
    }).toString(),
  });
