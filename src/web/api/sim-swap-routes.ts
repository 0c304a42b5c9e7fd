import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken } from '../../app/api/access-tokens.ts';
import type { UsageMeter } from '../../app/api/usage-meter.ts';
import { currentSwapHistory } from '../../app/sim-swap/swap-history.ts';
import type { SwapIndex } from '../../app/sim-swap/swap-index.ts';
import type { Db } from '../../db/client.ts';
import { checkedHours, latestSwap, swappedWithin } from '../../domain/sim-swap.ts';
import { camaraCaller, subjectOf } from './camara-caller.ts';
import { type CamaraCode, camaraAnswer, camaraError, camaraErrorHandler } from './camara-errors.ts';
import type { ApiCaller } from './client-allowance.ts';

type Options = {
  db: Db;
  /** The read replica, if there is one. */
  replica: Db | null;
  caller: ApiCaller;
  usage: UsageMeter;
  index: SwapIndex;
  now: () => Date;
};

/** CAMARA's phone number: E.164 with its plus sign. */
const PHONE = /^\+[1-9][0-9]{4,14}$/;
const ROUTE = { config: { csrf: false, accepts: ['application/json' as const] }, errorHandler: camaraErrorHandler };

type Asked = { token: AccessToken; phoneNumber: string; body: Record<string, unknown> };

/**
 * CAMARA SIM Swap 2.1.0 (`sim-swap.yaml`): `check` and `retrieve-date`, answered from the SIM
 * change history, for API clients holding an access token with the scope the specification
 * names. Errors come in its `{ status, code, message }` shape; `x-correlator` is echoed.
 */
export async function simSwapRoutes(app: FastifyInstance, { db, replica, caller: api, usage, index, now }: Options) {
  const historyOf = (operatorId: string, msisdn: string, hours?: number) =>
    currentSwapHistory(db, index, {
      operatorId,
      msisdn,
      ...(hours === undefined ? {} : { hours }),
      now: now(),
      replica,
    });

  const caller = camaraCaller(api);

  /** Everything both operations check first: the call, or the error to answer. */
  const asked = async (request: FastifyRequest, reply: FastifyReply, scope: string): Promise<Asked | CamaraCode> => {
    const token = await caller(request, reply, ['sim-swap', scope]);
    if (typeof token === 'string') return token;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'INVALID_ARGUMENT';
    const given = (body as Record<string, unknown>).phoneNumber;
    if (given !== undefined && (typeof given !== 'string' || !PHONE.test(given))) return 'INVALID_ARGUMENT';
    const subject = subjectOf(token, given as string | undefined);
    if (!subject.ok) return subject.error;
    return { token, phoneNumber: subject.value, body: body as Record<string, unknown> };
  };

  app.post('/sim-swap/v2/check', ROUTE, async (request, reply) => {
    const call = await asked(request, reply, 'sim-swap:check');
    if (typeof call === 'string') return camaraError(request, reply, call);
    const maxAge = call.body.maxAge;
    if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isInteger(maxAge)))
      return camaraError(request, reply, 'INVALID_ARGUMENT');
    const monitoredDays = request.operator.simSwapMonitoredDays;
    const hours = checkedHours(maxAge as number | undefined, monitoredDays);
    if (!hours.ok)
      return camaraError(
        request,
        reply,
        'OUT_OF_RANGE',
        hours.error.monitoredDays === null
          ? undefined
          : `Check monitor period could not exceed local regulations (${hours.error.monitoredDays} days)`,
      );
    const history = await historyOf(request.operator.id, call.phoneNumber, hours.value);
    if (!history.known) return camaraError(request, reply, 'IDENTIFIER_NOT_FOUND');
    usage.record(request.operator.id, call.token.clientId, 'sim-swap/check', now());
    return camaraAnswer(request, reply, 200, { swapped: swappedWithin(history, hours.value, now()) });
  });

  app.post('/sim-swap/v2/retrieve-date', ROUTE, async (request, reply) => {
    const call = await asked(request, reply, 'sim-swap:retrieve-date');
    if (typeof call === 'string') return camaraError(request, reply, call);
    const history = await historyOf(request.operator.id, call.phoneNumber);
    if (!history.known) return camaraError(request, reply, 'IDENTIFIER_NOT_FOUND');
    usage.record(request.operator.id, call.token.clientId, 'sim-swap/retrieve-date', now());
    const swap = latestSwap(history, request.operator.simSwapMonitoredDays, now());
    return camaraAnswer(request, reply, 200, {
      latestSimChange: swap.latestSimChange?.toISOString() ?? null,
      ...(swap.monitoredPeriod === undefined ? {} : { monitoredPeriod: swap.monitoredPeriod }),
    });
  });
}
