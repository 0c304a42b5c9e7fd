import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSimChanges, type SimChange } from '../../../app/api/api-reads.ts';
import { SIM_CHANGE_SOURCES } from '../../../db/schema/sim-changes.ts';
import { authorized, needs } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { sendProblem } from './problems.ts';
import { Cursor, decodeCursor, encodeCursor, Limit, PhoneNumber, pageOf, problems } from './schemas.ts';

const SimChangeResource = z
  .object({
    id: z.uuid(),
    phoneNumber: z.string(),
    changedAt: z.iso.datetime({ offset: true }),
    source: z.enum(SIM_CHANGE_SOURCES).describe('simdesk: made here; import: from the operator history'),
    channel: z.enum(['online', 'counter']).nullable(),
    requestId: z.uuid().nullable(),
  })
  .meta({ id: 'SimChange' });

const changeBody = (c: SimChange): z.infer<typeof SimChangeResource> => ({
  id: c.id,
  phoneNumber: c.msisdn,
  changedAt: c.changedAt.toISOString(),
  source: c.source,
  channel: c.channel,
  requestId: c.requestId,
});

/** The SIM change history the CAMARA SIM Swap API answers from, for the operator's own systems. */
export async function simChangeRoutes(app: FastifyInstance, { db }: ApiOptions) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/sim-changes',
    {
      config: authorized('sim-changes:read'),
      schema: {
        tags: ['SIM changes'],
        summary: 'SIM changes, newest first, of one number or all, since a moment',
        security: needs('sim-changes:read'),
        querystring: z.object({
          phoneNumber: PhoneNumber.optional(),
          since: z.iso.datetime({ offset: true }).optional(),
          cursor: Cursor.optional(),
          limit: Limit,
        }),
        response: { 200: pageOf(SimChangeResource), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const cursor = decodeCursor(request.query.cursor);
      if (cursor === 'invalid')
        return sendProblem(request, reply, 400, 'invalid-cursor', 'The cursor is not one of ours.');
      const { phoneNumber, since, limit } = request.query;
      const page = await listSimChanges(db, request.operator.id, {
        ...(phoneNumber ? { msisdn: phoneNumber } : {}),
        ...(since ? { since: new Date(since) } : {}),
        cursor,
        limit,
      });
      return { items: page.items.map(changeBody), nextCursor: encodeCursor(page.next) };
    },
  );
}
