import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceMetrics } from '../../app/metrics/service-metrics.ts';

/**
 * `GET /metrics` for Prometheus, behind `Authorization: Bearer METRICS_TOKEN` (unset: no metrics
 * route at all), and the latency of every request by its route pattern (never its ids).
 */
async function metricsPlugin(
  app: FastifyInstance,
  { metrics, token }: { metrics: ServiceMetrics; token: string | undefined },
) {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.http.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  if (!token) return;
  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', async (request, reply) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Not encapsulated: the latency hook sees every route of the app. */
export const metricsRoutes = fp(metricsPlugin, { name: 'metrics' });
