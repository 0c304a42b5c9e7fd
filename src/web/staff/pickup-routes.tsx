import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickupsAt } from '../../app/back-office/pickups.ts';
import type { Links } from '../../app/operators/links.ts';
import { handOverPickup } from '../../app/requests/hand-over.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { DOCUMENT_TYPES } from '../../domain/replacement.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../shared/form.tsx';
import { formRoute, line } from '../shared/form-schema.ts';
import { type HandOverForm, PickupDonePage, PickupListPage, PickupPage } from './pickup-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; links: Links; documentKey: Buffer; onOutboxWrite: () => void };
type Route = { Params: { requestId: string } };

/** Refusals that concern the whole hand-over rather than one field. */
const PROBLEMS: Record<string, MessageKey> = {
  'identity.mismatch': 'pickup.identity_mismatch',
  'staff.other_center': 'pickup.other_center',
  'activation.not_ready': 'activation.not_ready',
  'request.sim_change_locked': 'request.sim_change_locked',
  'transition.not_allowed': 'review.refused.decided',
  'request.changed': 'review.refused.decided',
};

/** Pickup at the counter: find the request, check the passport in person, hand over and activate the SIM. */
export async function pickupRoutes(
  app: FastifyInstance,
  { assets, demo, db, links, documentKey, onOutboxWrite }: Options,
) {
  const guard = staffOnly(['store_agent', 'admin']);
  /** The pickups a staff member may hand over: every center's for an administrator, their own center's for an agent. */
  const pickups = (staff: StaffSession, search: string, requestId?: string) => {
    if (staff.roles.includes('admin')) return pickupsAt(db, staff.operatorId, null, search, requestId);
    return staff.centerId ? pickupsAt(db, staff.operatorId, staff.centerId, search, requestId) : Promise.resolve([]);
  };

  app.get<{ Querystring: { q?: string } }>('/staff/pickup', { preHandler: guard }, async (request, reply) => {
    const staff = request.staff as StaffSession;
    const search = typeof request.query.q === 'string' ? request.query.q.slice(0, 40) : '';
    const found = await pickups(staff, search);
    const ctx = pageContext(request, assets, demo);
    return sendPage(reply, <PickupListPage ctx={ctx} staff={staff} search={search} pickups={found} />);
  });

  const page = async (
    request: FastifyRequest<Route>,
    reply: FastifyReply,
    form: HandOverForm = { docType: 'passport_ru', docNumber: '', iccid: '' },
    errors: FieldErrors = {},
    problem: MessageKey | null = null,
    status = 200,
  ) => {
    const staff = request.staff as StaffSession;
    const { requestId } = request.params;
    const [pickup] = UUID.test(requestId) ? await pickups(staff, '', requestId) : [];
    if (!pickup) return reply.callNotFound();
    const ctx = pageContext(request, assets, demo);
    return sendPage(
      reply,
      <PickupPage
        ctx={ctx}
        staff={staff}
        pickup={pickup}
        form={form}
        errors={errors}
        problem={problem}
        now={new Date()}
      />,
      status,
    );
  };

  app.get<Route>('/staff/pickup/:requestId', { preHandler: guard }, (request, reply) => page(request, reply));

  app.post<Route & { Body: Partial<HandOverForm> }>(
    '/staff/pickup/:requestId',
    { ...formRoute({ docType: line(32), docNumber: line(64), iccid: line(64) }), preHandler: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const form = {
        docType: request.body?.docType ?? '',
        docNumber: (request.body?.docNumber ?? '').trim(),
        iccid: (request.body?.iccid ?? '').trim(),
      };
      const docType = DOCUMENT_TYPES.find((d) => d === form.docType);
      const errors: FieldErrors = {};
      if (!docType) errors.docType = 'wizard.document_type_missing';
      if (!form.docNumber) errors.docNumber = 'wizard.document_number_invalid';
      if (!form.iccid) errors.iccid = 'iccid.length';
      if (!docType || Object.keys(errors).length > 0) return page(request, reply, form, errors, null, 400);
      const actor = { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
      const handed = await handOverPickup(db, links, documentKey, actor, request.params.requestId, {
        ...form,
        docType,
      });
      if (handed.ok) {
        onOutboxWrite();
        const ctx = pageContext(request, assets, demo);
        return sendPage(reply, <PickupDonePage ctx={ctx} staff={staff} {...handed.value} />);
      }
      const error = handed.error;
      if (typeof error === 'object') return page(request, reply, form, {}, 'pickup.on_hold', 409);
      if (error === 'request.not_found' || error === 'staff.forbidden') return reply.callNotFound();
      if (error.startsWith('iccid.') || error === 'activation.wrong_sim')
        return page(request, reply, form, { iccid: error as MessageKey }, null, 400);
      return page(request, reply, form, {}, PROBLEMS[error] ?? 'review.refused.decided', 409);
    },
  );
}
