import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findSim, stockOverview } from '../../../app/back-office/inventory.ts';
import { SIM_STATUSES } from '../../../domain/replacement.ts';
import { authorized, needs } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { sendProblem } from './problems.ts';
import { problems } from './schemas.ts';

const TAGS = ['Inventory'];

const StockLine = z
  .object({
    centerId: z.uuid().nullable().describe('null: the warehouse'),
    kind: z.enum(['physical', 'esim']),
    counts: z.partialRecord(z.enum(SIM_STATUSES), z.number().int()),
  })
  .meta({ id: 'StockLine' });

const Sim = z
  .object({
    iccid: z.string().regex(/^[0-9]{19,20}$/),
    formFactor: z.string(),
    status: z.enum(SIM_STATUSES),
    centerName: z.object({ ru: z.string(), en: z.string(), zh: z.string() }).partial().nullable(),
    phoneNumber: z.string().nullable(),
    requestReference: z.string().nullable(),
  })
  .meta({ id: 'Sim' });

/** SIM cards and eSIM profiles: counts by place, kind and status, and one card by its ICCID. */
export async function inventoryRoutes(app: FastifyInstance, { db }: ApiOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/inventory',
    {
      config: authorized('inventory:read'),
      schema: {
        tags: TAGS,
        summary: 'SIM cards and eSIM profiles counted by place, kind and status',
        security: needs('inventory:read'),
        response: { 200: z.object({ items: z.array(StockLine) }), ...problems(401, 403, 429) },
      },
    },
    async (request) => ({ items: await stockOverview(db, request.operator.id) }),
  );

  api.get(
    '/inventory/sims/:iccid',
    {
      config: authorized('inventory:read'),
      schema: {
        tags: TAGS,
        summary: 'One SIM by its ICCID: status, where it is, and the line or request it serves',
        security: needs('inventory:read'),
        params: z.object({ iccid: z.string().max(40) }),
        response: { 200: Sim, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const sim = await findSim(db, request.operator.id, request.params.iccid);
      if (!sim) return sendProblem(request, reply, 404, 'sim-not-found', 'No SIM of the operator has this ICCID.');
      return {
        iccid: sim.iccid,
        formFactor: sim.formFactor,
        status: sim.status,
        centerName: sim.center,
        phoneNumber: sim.msisdn,
        requestReference: sim.reference,
      };
    },
  );
}
