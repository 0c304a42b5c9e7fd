import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { centerSettings, operatorCenters, updateCenter } from '../../app/admin/center-settings.ts';
import { addFaqEntry, removeFaqEntry } from '../../app/admin/faq-answers.ts';
import { addFeeRule, feeTable, removeFeeRule } from '../../app/admin/fee-table.ts';
import type { FormProblems } from '../../app/admin/form-values.ts';
import { addCenter, newCenterForm } from '../../app/admin/new-center.ts';
import { currentPolicies, POLICY_FIELDS, updatePolicies } from '../../app/admin/operator-policies.ts';
import { inviteStaff, resetTotp, team, unlockStaffSignIn, updateMember } from '../../app/admin/team.ts';
import { operatorZones, updateZone } from '../../app/admin/zone-settings.ts';
import { operatorFaq } from '../../app/operators/operator-profile.ts';
import type { StaffActor } from '../../app/requests/staff-step.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../shared/form.tsx';
import { choices, formRoute, line, text } from '../shared/form-schema.ts';
import { FaqSettingsPage } from './faq-settings-page.tsx';
import { CenterPage, CentersPage, FeesPage, PoliciesPage, type Values, ZonesPage } from './settings-pages.tsx';
import { staffOnly } from './staff-session.ts';
import { TeamPage } from './team-page.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; documentKey: Buffer };
type Body = Record<string, string | undefined>;
type Saved = { Querystring: { saved?: string } };

const SAVED: Record<string, MessageKey> = {
  yes: 'admin.saved',
  same: 'admin.unchanged',
  added: 'admin.fees.added',
  removed: 'admin.fees.removed',
  member: 'admin.team.updated',
  totp: 'admin.team.totpReset',
  unlocked: 'admin.team.unlocked',
};
const asErrors = (problems: FormProblems) => problems as FieldErrors;
const asValues = (record: Record<string, unknown>): Values =>
  Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, v === true ? 'on' : v === false || v === null ? '' : String(v)]),
  );

/** Operator administration: policies and support contacts, the fee table, centers and their hours, and staff. */
export async function operatorSettingsRoutes(app: FastifyInstance, { assets, demo, db, documentKey }: Options) {
  const guard = staffOnly(['admin']);
  const actor = (request: FastifyRequest): StaffActor => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };
  const common = (request: FastifyRequest<Saved>, errors: FieldErrors = {}) => ({
    ctx: pageContext(request, assets, demo),
    staff: request.staff as StaffSession,
    errors,
    saved: SAVED[request.query?.saved ?? ''] ?? null,
  });
  const centersOf = (operatorId: string) => operatorCenters(db, operatorId);

  const policies = async (request: FastifyRequest<Saved>, reply: FastifyReply, values?: Values, errors?: FieldErrors) =>
    sendPage(
      reply,
      <PoliciesPage
        {...common(request, errors)}
        values={values ?? asValues(await currentPolicies(db, request.operator.id))}
      />,
      errors ? 400 : 200,
    );
  app.get<Saved>('/staff/settings', { preHandler: guard }, (request, reply) => policies(request, reply));
  app.post<Saved & { Body: Body }>(
    '/staff/settings',
    { ...formRoute(Object.fromEntries(POLICY_FIELDS.map((f) => [f, line(200)]))), preHandler: guard },
    async (request, reply) => {
      const saved = await updatePolicies(db, actor(request), request.body ?? {});
      if (saved.ok) return reply.redirect(`/staff/settings?saved=${saved.value ? 'yes' : 'same'}`, 303);
      return policies(request, reply, request.body as Values, asErrors(saved.error));
    },
  );

  const fees = async (request: FastifyRequest<Saved>, reply: FastifyReply, values: Values = {}, errors?: FieldErrors) =>
    sendPage(
      reply,
      <FeesPage {...common(request, errors)} rules={await feeTable(db, request.operator.id)} values={values} />,
      errors ? 400 : 200,
    );
  const feeFields = ['reason', 'simType', 'channel', 'delivery', 'amount', 'freeIfFirstWithinMonths'];
  app.get<Saved>('/staff/settings/fees', { preHandler: guard }, (request, reply) => fees(request, reply));
  app.post<Saved & { Body: Body }>(
    '/staff/settings/fees',
    { ...formRoute(Object.fromEntries(feeFields.map((f) => [f, line(40)]))), preHandler: guard },
    async (request, reply) => {
      const added = await addFeeRule(db, actor(request), request.body ?? {});
      if (added.ok) return reply.redirect('/staff/settings/fees?saved=added', 303);
      return fees(request, reply, request.body as Values, asErrors(added.error));
    },
  );
  app.post<Saved & { Params: { ruleId: string } }>(
    '/staff/settings/fees/:ruleId/delete',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.ruleId)) return reply.callNotFound();
      const removed = await removeFeeRule(db, actor(request), request.params.ruleId);
      return removed.ok ? reply.redirect('/staff/settings/fees?saved=removed', 303) : reply.callNotFound();
    },
  );

  const zones = async (
    request: FastifyRequest<Saved>,
    reply: FastifyReply,
    typed: { zoneId: string; values: Values } | null = null,
    errors?: FieldErrors,
  ) =>
    sendPage(
      reply,
      <ZonesPage {...common(request, errors)} zones={await operatorZones(db, request.operator.id)} typed={typed} />,
      errors ? 400 : 200,
    );
  app.get<Saved>('/staff/settings/zones', { preHandler: guard }, (request, reply) => zones(request, reply));
  app.post<Saved & { Params: { zoneId: string }; Body: Body }>(
    '/staff/settings/zones/:zoneId',
    {
      ...formRoute(
        Object.fromEntries(
          ['minDays', 'maxDays', 'courierFee', 'cities', 'postcodePrefixes'].map((f) => [f, line(2_000)]),
        ),
      ),
      preHandler: guard,
    },
    async (request, reply) => {
      const { zoneId } = request.params;
      if (!UUID.test(zoneId)) return reply.callNotFound();
      const saved = await updateZone(db, actor(request), zoneId, request.body ?? {});
      if (saved.ok) return reply.redirect(`/staff/settings/zones?saved=${saved.value ? 'yes' : 'same'}`, 303);
      if (saved.error.form) return reply.callNotFound();
      return zones(request, reply, { zoneId, values: request.body as Values }, asErrors(saved.error));
    },
  );

  const faq = async (request: FastifyRequest<Saved>, reply: FastifyReply, values: Values = {}, errors?: FieldErrors) =>
    sendPage(
      reply,
      <FaqSettingsPage {...common(request, errors)} entries={await faqOf(request.operator.id)} values={values} />,
      errors ? 400 : 200,
    );
  const faqOf = (operatorId: string) => operatorFaq(db, operatorId);
  const faqFields = ['Ru', 'En', 'Zh'].flatMap((l) => [
    [`question${l}`, line(300)],
    [`answer${l}`, text(4_000)],
  ]);
  app.get<Saved>('/staff/settings/faq', { preHandler: guard }, (request, reply) => faq(request, reply));
  app.post<Saved & { Body: Body }>(
    '/staff/settings/faq',
    { ...formRoute(Object.fromEntries(faqFields)), preHandler: guard },
    async (request, reply) => {
      const added = await addFaqEntry(db, actor(request), request.body ?? {});
      if (added.ok) return reply.redirect('/staff/settings/faq?saved=yes', 303);
      return faq(request, reply, request.body as Values, asErrors(added.error));
    },
  );
  app.post<Saved & { Params: { entryId: string } }>(
    '/staff/settings/faq/:entryId/delete',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.entryId)) return reply.callNotFound();
      const removed = await removeFaqEntry(db, actor(request), request.params.entryId);
      return removed.ok ? reply.redirect('/staff/settings/faq?saved=yes', 303) : reply.callNotFound();
    },
  );

  const centers = async (
    request: FastifyRequest<Saved>,
    reply: FastifyReply,
    values: Values = {},
    errors?: FieldErrors,
  ) =>
    sendPage(
      reply,
      <CentersPage {...common(request, errors)} centers={await centersOf(request.operator.id)} values={values} />,
      errors ? 400 : 200,
    );
  app.get<Saved>('/staff/settings/centers', { preHandler: guard }, (request, reply) => centers(request, reply));
  app.post<Saved & { Body: Body }>(
    '/staff/settings/centers',
    {
      ...formRoute(Object.fromEntries(Object.keys(newCenterForm.shape).map((f) => [f, line(300)]))),
      preHandler: guard,
    },
    async (request, reply) => {
      const added = await addCenter(db, actor(request), request.body ?? {});
      if (added.ok) return reply.redirect(`/staff/settings/centers/${added.value}?saved=yes`, 303);
      return centers(request, reply, request.body as Values, asErrors(added.error));
    },
  );
  type CenterRoute = Saved & { Params: { centerId: string } };
  const center = async (
    request: FastifyRequest<CenterRoute>,
    reply: FastifyReply,
    values?: Values,
    errors?: FieldErrors,
  ) => {
    const { centerId } = request.params;
    const current = UUID.test(centerId) ? await centerSettings(db, request.operator.id, centerId) : null;
    if (!current) return reply.callNotFound();
    const ctx = pageContext(request, assets, demo);
    const { hours, name, ...rest } = current;
    return sendPage(
      reply,
      <CenterPage
        {...common(request, errors)}
        centerId={centerId}
        title={`${current.code} · ${name[ctx.locale] ?? name.ru}`}
        values={values ?? asValues({ ...rest, ...hours })}
      />,
      errors ? 400 : 200,
    );
  };
  const centerFields = [
    'phone',
    'slotMinutes',
    'slotCapacity',
    'lowStockThreshold',
    'active',
    ...[1, 2, 3, 4, 5, 6, 7].map((d) => `hours${d}`),
  ];
  app.get<CenterRoute>('/staff/settings/centers/:centerId', { preHandler: guard }, (request, reply) =>
    center(request, reply),
  );
  app.post<CenterRoute & { Body: Body }>(
    '/staff/settings/centers/:centerId',
    {
      ...formRoute({ ...Object.fromEntries(centerFields.map((f) => [f, line(200)])), exceptions: text(10_000) }),
      preHandler: guard,
    },
    async (request, reply) => {
      if (!UUID.test(request.params.centerId)) return reply.callNotFound();
      const saved = await updateCenter(db, actor(request), request.params.centerId, request.body ?? {});
      if (saved.ok)
        return reply.redirect(
          `/staff/settings/centers/${request.params.centerId}?saved=${saved.value ? 'yes' : 'same'}`,
          303,
        );
      if (saved.error.form) return reply.callNotFound();
      return center(request, reply, request.body as Values, asErrors(saved.error));
    },
  );

  const teamPage = async (
    request: FastifyRequest<Saved>,
    reply: FastifyReply,
    extra: { values?: Values; errors?: FieldErrors; created?: { email: string; password: string } } = {},
  ) =>
    sendPage(
      reply,
      <TeamPage
        {...common(request, extra.errors)}
        members={await team(db, request.operator.id)}
        centers={await centersOf(request.operator.id)}
        values={extra.values ?? {}}
        created={extra.created ?? null}
      />,
      extra.errors ? 400 : 200,
    );
  const memberFields = { roles: choices(40, 10), centerId: line(40), active: line(10) };
  app.get<Saved>('/staff/team', { preHandler: guard }, (request, reply) => teamPage(request, reply));
  app.post<Saved & { Body: Body & { roles?: string | string[] } }>(
    '/staff/team',
    { ...formRoute({ ...memberFields, fullName: line(200), email: line(200) }), preHandler: guard },
    async (request, reply) => {
      const body = request.body ?? {};
      const invited = await inviteStaff(db, documentKey, actor(request), body);
      if (!invited.ok) {
        const roles = Array.isArray(body.roles) ? body.roles.join(',') : (body.roles ?? '');
        return teamPage(request, reply, { values: { ...(body as Values), roles }, errors: asErrors(invited.error) });
      }
      return teamPage(request, reply, {
        created: { email: String(body.email).trim().toLowerCase(), password: invited.value.password },
      });
    },
  );
  type MemberRoute = Saved & { Params: { staffId: string } };
  app.post<MemberRoute & { Body: Body & { roles?: string | string[] } }>(
    '/staff/team/:staffId',
    { ...formRoute(memberFields), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.staffId)) return reply.callNotFound();
      const saved = await updateMember(db, actor(request), request.params.staffId, request.body ?? {});
      if (saved.ok) return reply.redirect(`/staff/team?saved=${saved.value ? 'member' : 'same'}`, 303);
      if (saved.error.form === 'admin.not_found') return reply.callNotFound();
      return teamPage(request, reply, { errors: asErrors(saved.error) });
    },
  );
  app.post<MemberRoute>(
    '/staff/team/:staffId/reset-totp',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.staffId)) return reply.callNotFound();
      const reset = await resetTotp(db, documentKey, actor(request), request.params.staffId);
      return reset.ok ? reply.redirect('/staff/team?saved=totp', 303) : reply.callNotFound();
    },
  );
  app.post<MemberRoute>(
    '/staff/team/:staffId/unlock',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.staffId)) return reply.callNotFound();
      const unlocked = await unlockStaffSignIn(db, actor(request), request.params.staffId);
      return unlocked.ok ? reply.redirect('/staff/team?saved=unlocked', 303) : reply.callNotFound();
    },
  );
}
