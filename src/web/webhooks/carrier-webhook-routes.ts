import type { FastifyInstance } from 'fastify';
import type { Links } from '../../app/operators/links.ts';
import { recordParcelEvent } from '../../app/requests/parcel-events.ts';
import type { Db } from '../../db/client.ts';
import type { Carrier } from '../../integrations/carrier/carrier.ts';

/**
 * Tracking notices from the carrier, believed only once its adapter has proven them genuine
 * (signature and age). A notice for a parcel not yet recorded, or one that met a concurrent
 * change, gets an error so the carrier sends it again; one already taken is acknowledged.
 */
export async function carrierWebhookRoutes(
  app: FastifyInstance,
  { db, carrier, onOutboxWrite, links }: { db: Db; carrier: Carrier; onOutboxWrite: () => void; links: Links },
) {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post<{ Body: string }>(
    `/webhooks/carriers/${carrier.name}`,
    { config: { csrf: false, accepts: ['application/json'] } },
    async (request, reply) => {
      const verified = carrier.readNotification(typeof request.body === 'string' ? request.body : '', request.headers);
      if (!verified.ok) {
        request.log.warn({ problem: verified.error }, 'carrier notice refused');
        return reply.status(400).send({ error: verified.error });
      }
      const recorded = await recordParcelEvent(db, links, carrier.name, verified.value);
      if (!recorded.ok)
        return reply.status(recorded.error === 'shipment.unknown' ? 404 : 409).send({ error: recorded.error });
      onOutboxWrite();
      return reply.send({ received: true, duplicate: recorded.value === 'duplicate' });
    },
  );
}
