import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createSubscription,
  type Delivery,
  disableSubscription,
  type Subscription,
  subscriptionsWithLog,
} from '../../../app/webhooks/webhook-subscriptions.ts';
import { WEBHOOK_EVENTS } from '../../../db/schema/webhooks.ts';
import { authorized, needs, tokenOf } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { created, IdempotencyKey, idempotent, type Outcome, problem, uuidFrom } from './idempotent.ts';
import { sendProblem } from './problems.ts';
import { problems } from './schemas.ts';

const TAGS = ['Webhooks'];
const Timestamp = z.iso.datetime({ offset: true });

const DeliveryResource = z.object({
  eventId: z.uuid(),
  event: z.string(),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastResponse: z.string().nullable(),
  lastAttemptAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
});

const WebhookSubscription = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    createdAt: Timestamp,
    recentDeliveries: z.array(DeliveryResource),
  })
  .meta({ id: 'WebhookSubscription' });

const iso = (d: Date | null) => d?.toISOString() ?? null;
const subscriptionBody = (s: Subscription, deliveries: Delivery[]): z.infer<typeof WebhookSubscription> => ({
  id: s.id,
  url: s.url,
  events: s.events as z.infer<typeof WebhookSubscription>['events'],
  active: s.active,
  createdAt: s.createdAt.toISOString(),
  recentDeliveries: deliveries.map((d) => ({
    eventId: d.eventId,
    event: d.event,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastResponse: d.lastResponse,
    lastAttemptAt: iso(d.lastAttemptAt),
    deliveredAt: iso(d.deliveredAt),
  })),
});

/** The operator's outbound webhook subscriptions, as on /staff/webhooks, with their delivery logs. */
export async function webhookRoutes(app: FastifyInstance, { db, vault, partners, now }: ApiOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const changer = (request: FastifyRequest) => ({ ...tokenOf(request), ip: request.ip });

  api.get(
    '/webhooks',
    {
      config: authorized('webhooks:manage'),
      schema: {
        tags: TAGS,
        summary: 'Webhook subscriptions, newest first, each with its latest deliveries',
        security: needs('webhooks:manage'),
        response: { 200: z.object({ items: z.array(WebhookSubscription) }), ...problems(401, 403, 429) },
      },
    },
    async (request) => {
      const rows = await subscriptionsWithLog(db, request.operator.id);
      return { items: rows.map((r) => subscriptionBody(r.subscription, r.deliveries)) };
    },
  );

  api.post(
    '/webhooks',
    {
      config: authorized('webhooks:manage'),
      schema: {
        tags: TAGS,
        summary: 'Subscribe a URL to events; the signing secret is in this answer only',
        security: needs('webhooks:manage'),
        headers: IdempotencyKey,
        body: z.object({ url: z.string().max(2_000), events: z.array(z.enum(WEBHOOK_EVENTS)).min(1) }),
        response: {
          201: z.object({ id: z.uuid(), secret: z.string().describe('Verifies Simdesk-Signature; shown once') }),
          ...problems(400, 401, 403, 409, 422, 429),
        },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (key): Promise<Outcome> => {
        const id = uuidFrom(key);
        const made = await createSubscription(
          db,
          vault.key,
          partners,
          changer(request),
          { ...request.body, id },
          now(),
        );
        if (!made.ok)
          return problem(
            422,
            'validation-failed',
            'The subscription cannot be accepted.',
            made.error.map((code) => {
              const message = code === 'webhooks.url' ? 'webhooks.url_invalid' : 'webhooks.events_missing';
              return {
                pointer: code === 'webhooks.url' ? '/body/url' : '/body/events',
                code,
                detail: request.t(message),
              };
            }),
          );
        return { ...created(made.value, `/api/v1/webhooks/${made.value.id}`), secret: true } as Outcome;
      }),
  );

  api.delete(
    '/webhooks/:subscriptionId',
    {
      config: authorized('webhooks:manage'),
      schema: {
        tags: TAGS,
        summary: 'Stop a subscription, including deliveries still being retried',
        security: needs('webhooks:manage'),
        params: z.object({ subscriptionId: z.uuid() }),
        response: { 204: z.undefined().describe('Stopped'), ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const stopped = await disableSubscription(db, changer(request), request.params.subscriptionId, now());
      if (!stopped.ok) return sendProblem(request, reply, 404, 'webhook-not-found', 'No such active subscription.');
      return reply.status(204).send();
    },
  );
}
