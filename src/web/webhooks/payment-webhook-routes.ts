import type { FastifyInstance } from 'fastify';
import type { Links } from '../../app/operators/links.ts';
import { settlePayment } from '../../app/payments/payments.ts';
import type { Db } from '../../db/client.ts';
import type { PaymentGateway } from '../../integrations/payments/payment-gateway.ts';

/**
 * Notifications from the payment gateway. The body is kept as sent, because a signature covers
 * the exact bytes; nothing in it is believed before the gateway's adapter has proven it genuine.
 */
export async function paymentWebhookRoutes(
  app: FastifyInstance,
  { db, gateway, onOutboxWrite, links }: { db: Db; gateway: PaymentGateway; onOutboxWrite: () => void; links: Links },
) {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post<{ Body: string }>(
    `/webhooks/payments/${gateway.name}`,
    { config: { csrf: false, accepts: ['application/json'] } },
    async (request, reply) => {
      const verified = await gateway.readNotification(
        typeof request.body === 'string' ? request.body : '',
        request.headers,
      );
      if (!verified.ok) {
        request.log.warn({ problem: verified.error }, 'payment notification refused');
        return reply.status(400).send({ error: verified.error });
      }
      const settled = await settlePayment(db, links, gateway.name, verified.value);
      if (!settled.ok && settled.error === 'payment.mismatch') {
        request.log.error({ ref: verified.value.ref }, 'payment notification does not match the payment');
        return reply.status(422).send({ error: settled.error });
      }
      onOutboxWrite();
      return reply.send({ received: true });
    },
  );
}
