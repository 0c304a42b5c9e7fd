import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logisticsQueue, requestReference } from '../../app/back-office/logistics-queue.ts';
import type { Links } from '../../app/operators/links.ts';
import { dispatchWithCarrier } from '../../app/requests/carrier-booking.ts';
import { assignSim, dispatchRequest, markReadyForPickup, takeBackReturn } from '../../app/requests/fulfilment.ts';
import { markDelivered } from '../../app/requests/hand-over.ts';
import type { StaffActor, StaffError } from '../../app/requests/staff-step.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import type { Result } from '../../domain/result.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import type { Carrier } from '../../integrations/carrier/carrier.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { formRoute, line } from '../shared/form-schema.ts';
import { type DispatchInput, type LogisticsNotice, LogisticsPage } from './logistics-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = {
  assets: Assets;
  demo: boolean;
  db: Db;
  links: Links;
  onOutboxWrite: () => void;
  carrier: Carrier | null;
};
type Route = { Params: { requestId: string }; Querystring: { done?: string; ref?: string } };

const DONE: Record<string, MessageKey> = {
  sim_assigned: 'logistics.done.reserved',
  dispatched: 'logistics.done.dispatched',
  ready_for_pickup: 'logistics.done.ready',
  delivered: 'logistics.done.delivered',
  approved: 'logistics.done.restocked',
};
const REFUSED: Partial<Record<StaffError | 'carrier.unavailable', MessageKey>> = {
  'sim.out_of_stock': 'logistics.refused.out_of_stock',
  'request.sim_change_locked': 'request.sim_change_locked',
  'staff.forbidden': 'review.refused.forbidden',
  'carrier.unavailable': 'logistics.refused.carrier_unavailable',
};
const TRACKING = /^[A-Za-z0-9-]{4,40}$/;

/** Approved requests on their way: reserve a card, dispatch it or send it to the center, record delivery. */
export async function logisticsRoutes(
  app: FastifyInstance,
  { assets, demo, db, links, onOutboxWrite, carrier }: Options,
) {
  const guard = staffOnly(['logistics', 'admin']);
  const actor = (request: FastifyRequest): StaffActor => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };
  const today = () => new Date().toISOString().slice(0, 10);

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    notice: LogisticsNotice,
    typed: DispatchInput = null,
    status = 200,
  ) => {
    const rows = await logisticsQueue(db, request.operator.id, today());
    const ctx = pageContext(request, assets, demo);
    return sendPage(
      reply,
      <LogisticsPage
        ctx={ctx}
        staff={request.staff as StaffSession}
        rows={rows}
        notice={notice}
        typed={typed}
        carrier={carrier?.name ?? null}
      />,
      status,
    );
  };

  app.get<Route>('/staff/logistics', { preHandler: guard }, (request, reply) => {
    const message = DONE[request.query.done ?? ''];
    const reference = request.query.ref ?? '';
    return page(
      request,
      reply,
      message && /^R-[A-Z0-9]+$/.test(reference) ? { reference, message, problem: false } : null,
    );
  });

  const step = async (
    request: FastifyRequest<Route>,
    reply: FastifyReply,
    run: (staff: StaffActor, requestId: string) => Promise<Result<string, StaffError | 'carrier.unavailable'>>,
    typed: DispatchInput = null,
  ) => {
    const { requestId } = request.params;
    if (!UUID.test(requestId)) return reply.callNotFound();
    const reference = await requestReference(db, request.operator.id, requestId);
    if (!reference) return reply.callNotFound();
    const result = await run(actor(request), requestId);
    if (result.ok) {
      onOutboxWrite();
      return reply.redirect(`/staff/logistics?done=${result.value}&ref=${reference}`, 303);
    }
    const message = REFUSED[result.error] ?? 'review.refused.decided';
    return page(request, reply, { reference, message, problem: true }, typed, 409);
  };

  app.post<Route>('/staff/logistics/:requestId/reserve', { ...formRoute({}), preHandler: guard }, (request, reply) =>
    step(request, reply, (staff, id) => assignSim(db, links, staff, id)),
  );
  app.post<Route>('/staff/logistics/:requestId/ready', { ...formRoute({}), preHandler: guard }, (request, reply) =>
    step(request, reply, (staff, id) => markReadyForPickup(db, links, staff, id)),
  );
  app.post<Route>('/staff/logistics/:requestId/delivered', { ...formRoute({}), preHandler: guard }, (request, reply) =>
    step(request, reply, (staff, id) => markDelivered(db, links, staff, id)),
  );
  for (const condition of ['good', 'defective'] as const)
    app.post<Route>(
      `/staff/logistics/:requestId/${condition === 'good' ? 'restock' : 'defective'}`,
      { ...formRoute({}), preHandler: guard },
      (request, reply) => step(request, reply, (staff, id) => takeBackReturn(db, links, staff, id, condition)),
    );
  if (carrier)
    app.post<Route>('/staff/logistics/:requestId/book', { ...formRoute({}), preHandler: guard }, (request, reply) =>
      step(request, reply, (staff, id) => dispatchWithCarrier(db, links, carrier, staff, id)),
    );
  app.post<Route & { Body: { carrier?: string; trackingNumber?: string } }>(
    '/staff/logistics/:requestId/dispatch',
    { ...formRoute({ carrier: line(60), trackingNumber: line(60) }), preHandler: guard },
    async (request, reply) => {
      const carrier = (request.body?.carrier ?? '').trim();
      const trackingNumber = (request.body?.trackingNumber ?? '').trim().toUpperCase();
      const typed = { requestId: request.params.requestId, carrier, trackingNumber };
      if (!carrier || !TRACKING.test(trackingNumber)) {
        const { requestId } = request.params;
        const reference = (UUID.test(requestId) && (await requestReference(db, request.operator.id, requestId))) || '';
        return page(request, reply, { reference, message: 'logistics.parcel_invalid', problem: true }, typed, 400);
      }
      return step(
        request,
        reply,
        (staff, id) => dispatchRequest(db, links, staff, id, { carrier, trackingNumber }),
        typed,
      );
    },
  );
}
