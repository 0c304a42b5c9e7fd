import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { courierDeliveries } from '../../app/back-office/courier-deliveries.ts';
import type { Links } from '../../app/operators/links.ts';
import { deliveryFailed, markDelivered } from '../../app/requests/hand-over.ts';
import type { StaffActor } from '../../app/requests/staff-step.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { DOCUMENT_TYPES } from '../../domain/replacement.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../shared/form.tsx';
import { formRoute, line } from '../shared/form-schema.ts';
import { CourierDeliveryPage, CourierListPage, type DoorForm } from './courier-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; links: Links; documentKey: Buffer; onOutboxWrite: () => void };
type Route = { Params: { requestId: string }; Querystring: { done?: string } };

const DONE: Record<string, MessageKey> = {
  delivered: 'courier.done.delivered',
  returned: 'courier.done.returned',
};

/** The courier's round on a phone: today's parcels, the passport check at the door, and what happened. */
export async function courierRoutes(
  app: FastifyInstance,
  { assets, demo, db, links, documentKey, onOutboxWrite }: Options,
) {
  const guard = staffOnly(['courier', 'admin']);
  const actor = (request: FastifyRequest): StaffActor => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };

  app.get<Route>('/staff/courier', { preHandler: guard }, async (request, reply) => {
    const deliveries = await courierDeliveries(db, request.operator.id);
    const ctx = pageContext(request, assets, demo);
    const notice = DONE[request.query.done ?? ''] ?? null;
    const staff = request.staff as StaffSession;
    return sendPage(reply, <CourierListPage ctx={ctx} staff={staff} deliveries={deliveries} notice={notice} />);
  });

  const page = async (
    request: FastifyRequest<Route>,
    reply: FastifyReply,
    form: DoorForm = { docType: 'passport_ru', lastDigits: '' },
    errors: FieldErrors = {},
    problem: MessageKey | null = null,
    status = 200,
  ) => {
    const { requestId } = request.params;
    const [delivery] = UUID.test(requestId) ? await courierDeliveries(db, request.operator.id, requestId) : [];
    if (!delivery) return reply.callNotFound();
    const ctx = pageContext(request, assets, demo);
    const staff = request.staff as StaffSession;
    return sendPage(
      reply,
      <CourierDeliveryPage ctx={ctx} staff={staff} delivery={delivery} form={form} errors={errors} problem={problem} />,
      status,
    );
  };

  app.get<Route>('/staff/courier/:requestId', { preHandler: guard }, (request, reply) => page(request, reply));

  app.post<Route & { Body: Partial<DoorForm> }>(
    '/staff/courier/:requestId/delivered',
    { ...formRoute({ docType: line(32), lastDigits: line(32) }), preHandler: guard },
    async (request, reply) => {
      const form = { docType: request.body?.docType ?? '', lastDigits: (request.body?.lastDigits ?? '').trim() };
      const docType = DOCUMENT_TYPES.find((d) => d === form.docType);
      if (!docType || form.lastDigits.replace(/\D/g, '').length < 4)
        return page(request, reply, form, { lastDigits: 'courier.lastDigits_missing' }, null, 400);
      const done = await markDelivered(db, links, actor(request), request.params.requestId, new Date(), {
        check: { docType, lastDigits: form.lastDigits },
        documentKey,
      });
      if (done.ok) {
        onOutboxWrite();
        return reply.redirect(`/staff/courier?done=${done.value}`, 303);
      }
      if (done.error === 'identity.mismatch') return page(request, reply, form, {}, 'courier.identity_mismatch', 409);
      return page(request, reply, form, {}, 'review.refused.decided', 409);
    },
  );

  for (const [path, outcome] of [
    ['not-home', 'not_home'],
    ['refused', 'refused'],
  ] as const)
    app.post<Route>(
      `/staff/courier/:requestId/${path}`,
      { ...formRoute({}), preHandler: guard },
      async (request, reply) => {
        if (!UUID.test(request.params.requestId)) return reply.callNotFound();
        const done = await deliveryFailed(db, links, actor(request), request.params.requestId, outcome);
        if (!done.ok) return page(request, reply, undefined, {}, 'review.refused.decided', 409);
        return reply.redirect(`/staff/courier?done=${done.value}`, 303);
      },
    );
}
