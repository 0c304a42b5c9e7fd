import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setSimChangeLock } from '../../../app/accounts/sim-change-lock.ts';
import { auditApiCall } from '../../../app/api/api-audit.ts';
import { lineByMsisdn } from '../../../app/api/api-reads.ts';
import { blockLine, unblockLine } from '../../../app/lines/line-blocking.ts';
import { authorized, needs, tokenOf } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { sendProblem } from './problems.ts';
import { PhoneNumber, problems } from './schemas.ts';

const TAGS = ['Lines'];
const ByNumber = z.object({ phoneNumber: PhoneNumber });
const LineState = z
  .object({ phoneNumber: PhoneNumber, status: z.enum(['active', 'blocked']), changed: z.boolean() })
  .meta({ id: 'LineState' });
const LockState = z
  .object({
    state: z.enum(['off', 'on', 'releasing']),
    releaseAt: z.iso.datetime({ offset: true }).nullable().describe('When a lock being released ends'),
  })
  .meta({ id: 'SimChangeLock' });

/**
 * A subscriber's lines for operator systems: block a lost SIM at once (and unblock it), and the
 * account's SIM-change lock, through the portal's own functions, with the same notifications.
 */
export async function lineRoutes(app: FastifyInstance, { db, onOutboxWrite, now }: ApiOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const lineOf = async (request: FastifyRequest, reply: FastifyReply, phoneNumber: string) => {
    const line = await lineByMsisdn(db, request.operator.id, phoneNumber);
    if (!line || line.status === 'terminated') {
      sendProblem(request, reply, 404, 'line-not-found', 'The operator has no such number.');
      return null;
    }
    return { line, actor: { operatorId: request.operator.id, accountId: line.accountId, ip: request.ip } };
  };
  const audit = (request: FastifyRequest, action: string, id: string, data: Record<string, unknown> = {}) => {
    const token = tokenOf(request);
    return auditApiCall(db, { ...token, ip: request.ip }, action, { kind: 'line', id }, data);
  };

  for (const block of [true, false]) {
    const verb = block ? 'block' : 'unblock';
    api.post(
      `/lines/:phoneNumber/${verb}`,
      {
        config: authorized('lines:write'),
        schema: {
          tags: TAGS,
          summary: block
            ? 'Block a lost or stolen SIM at once; the network suspends it through the outbox'
            : 'Lift a block; the operator system has re-authenticated the subscriber',
          security: needs('lines:write'),
          params: ByNumber,
          response: { 200: LineState, ...problems(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const found = await lineOf(request, reply, request.params.phoneNumber);
        if (!found) return reply;
        const result = await (block ? blockLine : unblockLine)(db, found.actor, found.line.id, now());
        if (!result.ok) return sendProblem(request, reply, 404, 'line-not-found', 'The operator has no such number.');
        if (result.value.changed) {
          onOutboxWrite();
          await audit(request, `line.${verb}`, found.line.id);
        }
        return {
          phoneNumber: request.params.phoneNumber,
          status: block ? ('blocked' as const) : ('active' as const),
          changed: result.value.changed,
        };
      },
    );
  }

  api.put(
    '/lines/:phoneNumber/sim-change-lock',
    {
      config: authorized('lines:write'),
      schema: {
        tags: TAGS,
        summary:
          "Turn the account's SIM-change lock on (at once) or off (after the operator's waiting period); the subscriber is e-mailed",
        security: needs('lines:write'),
        params: ByNumber,
        body: z.object({ on: z.boolean() }),
        response: { 200: LockState, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const found = await lineOf(request, reply, request.params.phoneNumber);
      if (!found) return reply;
      const state = await setSimChangeLock(db, found.actor, request.body.on, now());
      onOutboxWrite();
      await audit(request, request.body.on ? 'sim_lock.on' : 'sim_lock.off', found.line.id, { state: state.state });
      return { state: state.state, releaseAt: state.state === 'releasing' ? state.releaseAt.toISOString() : null };
    },
  );
}
