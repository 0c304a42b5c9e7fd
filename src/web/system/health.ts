import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';

/** Liveness (the process answers) and readiness (it can reach the database). */
export async function healthRoutes(app: FastifyInstance, { database }: { database: Database }) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await database.raw.query('select 1');
      return { status: 'ok', database: database.kind };
    } catch (e) {
      request.log.error({ err: e }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', database: database.kind });
    }
  });
}
