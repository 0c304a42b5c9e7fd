import type { FastifyInstance } from 'fastify';
import { hasOperator } from '../../app/operators/operator-profile.ts';
import type { Database } from '../../db/client.ts';
import { NotSetUp } from '../plugins/operator.ts';

/** Liveness (the process answers) and readiness (it can reach the database, and an operator exists to serve). */
export async function healthRoutes(app: FastifyInstance, { database }: { database: Database }) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      if (!(await hasOperator(database)))
        return reply
          .status(503)
          .send({ status: 'not_set_up', database: database.kind, reason: new NotSetUp().message });
      return { status: 'ok', database: database.kind };
    } catch (e) {
      request.log.error({ err: e }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', database: database.kind });
    }
  });
}
