import type { FastifyInstance } from 'fastify';
import { recordDownloadProgress } from '../../app/requests/esim-orders.ts';
import type { Db } from '../../db/client.ts';
import type { SmdpPlus } from '../../integrations/smdp/smdp.ts';

/**
 * ES2+ HandleDownloadProgressInfo from the SM-DP+, believed once its adapter has proven it
 * genuine (signature and age). A notice for a profile simdesk does not know gets 404, so the
 * SM-DP+ sends it again; one already recorded is acknowledged.
 */
export async function smdpWebhookRoutes(app: FastifyInstance, { db, smdp }: { db: Db; smdp: SmdpPlus }) {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post<{ Body: string }>(
    `/webhooks/smdp/${smdp.name}`,
    { config: { csrf: false, accepts: ['application/json'] } },
    async (request, reply) => {
      const verified = smdp.readNotification(typeof request.body === 'string' ? request.body : '', request.headers);
      if (!verified.ok) {
        request.log.warn({ problem: verified.error }, 'SM-DP+ notice refused');
        return reply.status(400).send({ error: verified.error });
      }
      const recorded = await recordDownloadProgress(db, verified.value);
      if (!recorded.ok) return reply.status(404).send({ error: recorded.error });
      return reply.send({ received: true, duplicate: recorded.value === 'duplicate' });
    },
  );
}
