import type { FastifyReply, FastifyRequest } from 'fastify';
import { UUID } from '../portal/routes/subscriber-context.ts';

/**
 * A route's `…Id` path parameters name rows by UUID: anything else names nothing, so the page
 * is not found, before a query the database would refuse with an error.
 */
export async function uuidParams(request: FastifyRequest, reply: FastifyReply) {
  const params = (request.params ?? {}) as Record<string, string>;
  if (Object.entries(params).some(([name, value]) => name.endsWith('Id') && !UUID.test(value)))
    return reply.callNotFound();
}
