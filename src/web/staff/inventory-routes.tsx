import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { findSim, stockOverview } from '../../app/back-office/inventory.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { InventoryPage } from './inventory-pages.tsx';
import { staffOnly } from './staff-session.ts';

/** Stock by place, kind and status, and one SIM by its ICCID, for logistics and administrators. */
export async function inventoryRoutes(
  app: FastifyInstance,
  { assets, demo, db }: { assets: Assets; demo: boolean; db: Db },
) {
  app.get<{ Querystring: { iccid?: string } }>(
    '/staff/inventory',
    { preHandler: staffOnly(['logistics', 'admin']) },
    async (request, reply) => {
      const operatorId = request.operator.id;
      const search = typeof request.query.iccid === 'string' ? request.query.iccid.trim().slice(0, 30) : '';
      const ctx = pageContext(request, assets, demo);
      const [stock, centers, found] = await Promise.all([
        stockOverview(db, operatorId),
        db
          .select({ id: serviceCenters.id, name: serviceCenters.name })
          .from(serviceCenters)
          .where(eq(serviceCenters.operatorId, operatorId))
          .orderBy(asc(serviceCenters.code)),
        search ? findSim(db, operatorId, search) : Promise.resolve(null),
      ]);
      const places = [
        { id: null, name: ctx.t('inventory.warehouse') },
        ...centers.map((c) => ({ id: c.id, name: c.name[ctx.locale] })),
      ];
      const page = (
        <InventoryPage
          ctx={ctx}
          staff={request.staff as StaffSession}
          places={places}
          stock={stock}
          search={search}
          found={found}
        />
      );
      return sendPage(reply, page);
    },
  );
}
