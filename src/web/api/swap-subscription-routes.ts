import type { FastifyInstance } from 'fastify';
import type { AccessToken } from '../../app/api/access-tokens.ts';
import { lineByMsisdn } from '../../app/api/api-reads.ts';
import type { UsageMeter } from '../../app/api/usage-meter.ts';
import {
  createSwapSubscription,
  deleteSwapSubscription,
  type SwapSubscription,
  swapSubscriptionOf,
  swapSubscriptionsOf,
} from '../../app/sim-swap/swap-subscriptions.ts';
import type { Db } from '../../db/client.ts';
import { readSubscriptionAsk, SWAPPED } from '../../domain/swap-subscription.ts';
import { acceptablePartnerUrl, type OutboundPolicy } from '../../integrations/outbound/partner-post.ts';
import { camaraCaller, subjectOf } from './camara-caller.ts';
import { camaraAnswer, camaraError, camaraErrorHandler } from './camara-errors.ts';
import type { ApiCaller } from './client-allowance.ts';

type Options = {
  db: Db;
  caller: ApiCaller;
  usage: UsageMeter;
  documentKey: Buffer;
  partners: OutboundPolicy;
  now: () => Date;
};
type ById = { Params: { subscriptionId: string } };

const BASE = '/sim-swap-subscriptions/v0.3/subscriptions';
const CREATE = 'sim-swap-subscriptions:org.camaraproject.sim-swap-subscriptions.v0.swapped:create';
const ROUTE = { config: { csrf: false, accepts: ['application/json' as const] }, errorHandler: camaraErrorHandler };

/** The Subscription of the specification; the number only to a caller with a two-legged token. */
const subscriptionBody = (s: SwapSubscription, token: AccessToken) => ({
  protocol: 'HTTP',
  sink: s.sink,
  types: [SWAPPED],
  config: {
    subscriptionDetail: token.phoneNumber ? {} : { phoneNumber: s.phoneNumber },
    ...(s.expiresAt ? { subscriptionExpireTime: s.expiresAt.toISOString() } : {}),
    ...(s.maxEvents ? { subscriptionMaxEvents: s.maxEvents } : {}),
  },
  id: s.id,
  startsAt: s.startsAt.toISOString(),
  ...(s.expiresAt ? { expiresAt: s.expiresAt.toISOString() } : {}),
  status: s.status,
});

/**
 * CAMARA SIM Swap Subscriptions 0.3.0 (`sim-swap-subscriptions.yaml`): a bank subscribes to a
 * number and is sent a `swapped` CloudEvent when its SIM changes (online or at a counter), and
 * `subscription-ended` when the subscription expires, reaches its maximum of events, loses its
 * sink token or is deleted. Created synchronously, so the answer is 201 with status ACTIVE.
 */
export async function swapSubscriptionRoutes(
  app: FastifyInstance,
  { db, caller: api, usage, documentKey, partners, now }: Options,
) {
  const caller = camaraCaller(api);
  const owner = (token: { operatorId: string; clientId: string }) => ({
    operatorId: token.operatorId,
    clientId: token.clientId,
  });

  app.post(BASE, ROUTE, async (request, reply) => {
    const token = await caller(request, reply, [CREATE]);
    if (typeof token === 'string') return camaraError(request, reply, token);
    const ask = readSubscriptionAsk(request.body, now(), (url) => acceptablePartnerUrl(partners, url));
    if (!ask.ok) return camaraError(request, reply, ask.error.code, ask.error.message);
    const subject = subjectOf(token, ask.value.phoneNumber ?? undefined);
    if (!subject.ok) return camaraError(request, reply, subject.error);
    if (!(await lineByMsisdn(db, request.operator.id, subject.value)))
      return camaraError(request, reply, 'SERVICE_NOT_APPLICABLE');
    const created = await createSwapSubscription(
      db,
      documentKey,
      owner(token),
      { ...ask.value, phoneNumber: subject.value, fromToken: token.phoneNumber !== null },
      now(),
    );
    usage.record(token.operatorId, token.clientId, 'sim-swap-subscriptions/create', now());
    return camaraAnswer(request, reply, 201, subscriptionBody(created, token));
  });

  app.get(BASE, ROUTE, async (request, reply) => {
    const token = await caller(request, reply, ['sim-swap-subscriptions:read']);
    if (typeof token === 'string') return camaraError(request, reply, token);
    const rows = await swapSubscriptionsOf(db, owner(token), token.phoneNumber);
    return camaraAnswer(
      request,
      reply,
      200,
      rows.map((row) => subscriptionBody(row, token)),
    );
  });

  app.get<ById>(`${BASE}/:subscriptionId`, ROUTE, async (request, reply) => {
    const token = await caller(request, reply, ['sim-swap-subscriptions:read']);
    if (typeof token === 'string') return camaraError(request, reply, token);
    const row = await swapSubscriptionOf(db, owner(token), request.params.subscriptionId, token.phoneNumber);
    if (!row) return camaraError(request, reply, 'NOT_FOUND');
    return camaraAnswer(request, reply, 200, subscriptionBody(row, token));
  });

  app.delete<ById>(`${BASE}/:subscriptionId`, ROUTE, async (request, reply) => {
    const token = await caller(request, reply, ['sim-swap-subscriptions:delete']);
    if (typeof token === 'string') return camaraError(request, reply, token);
    const deleted = await deleteSwapSubscription(
      db,
      owner(token),
      request.params.subscriptionId,
      token.phoneNumber,
      now(),
    );
    if (!deleted) return camaraError(request, reply, 'NOT_FOUND');
    return camaraAnswer(request, reply, 204);
  });
}
