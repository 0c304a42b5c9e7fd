import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { completeEnrolment, openEnrolment } from '../../app/staff/enrolment.ts';
import { startStaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../shared/form.tsx';
import { formRoute, secret } from '../shared/form-schema.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { NewPasswordFields } from './staff-pages.tsx';

type Options = { assets: Assets; demo: boolean; db: Db };
type Route = { Params: { token: string } };
type Member = { email: string; fullName: string };

function EnrolmentPage({
  ctx,
  token,
  member,
  errors,
  csrf,
}: {
  ctx: PageContext;
  token: string;
  member: Member | null;
  errors: FieldErrors;
  csrf: string;
}) {
  const { t } = ctx;
  if (!member)
    return (
      <Layout ctx={ctx} title={t('staff.enrol.gone.title')}>
        <h1>{t('staff.enrol.gone.title')}</h1>
        <p>{t('staff.enrol.gone.lead')}</p>
      </Layout>
    );
  return (
    <Layout ctx={ctx} title={t('staff.enrol.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('staff.enrol.title')}</h1>
      <p>{t('staff.enrol.lead', { name: member.fullName, email: member.email })}</p>
      <form method="post" action={`/staff/enrol/${token}`} novalidate>
        <CsrfField token={csrf} />
        <NewPasswordFields t={t} errors={errors} />
        <button type="submit" class="button">
          {t('staff.enrol.save')}
        </button>
      </form>
    </Layout>
  );
}

/**
 * A new member's one-time link: they choose their own password, and go on to the sign-in's second
 * step, where a member without an authenticator sets one up.
 */
export async function enrolmentRoutes(app: FastifyInstance, { assets, demo, db }: Options) {
  const page = (request: FastifyRequest<Route>, reply: FastifyReply, member: Member | null, errors: FieldErrors = {}) =>
    sendPage(
      reply,
      <EnrolmentPage
        ctx={pageContext(request, assets, demo)}
        token={request.params.token}
        member={member}
        errors={errors}
        csrf={reply.csrfToken()}
      />,
      member ? (Object.keys(errors).length > 0 ? 400 : 200) : 410,
    );
  const valid = (token: string) => /^[\w-]{43}$/.test(token);

  app.get<Route>('/staff/enrol/:token', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    const { token } = request.params;
    return page(request, reply, valid(token) ? await openEnrolment(db, request.operator.id, token) : null);
  });

  app.post<Route & { Body: { next?: string; repeat?: string } }>(
    '/staff/enrol/:token',
    formRoute({ next: secret, repeat: secret }),
    async (request, reply) => {
      const { token } = request.params;
      const member = valid(token) ? await openEnrolment(db, request.operator.id, token) : null;
      if (!member) return page(request, reply, null);
      const done = await completeEnrolment(db, request.operator.id, token, {
        next: request.body?.next ?? '',
        repeat: request.body?.repeat ?? '',
        ip: request.ip,
      });
      if (!done) return page(request, reply, null);
      if (!done.ok) return page(request, reply, member, done.error);
      const session = await startStaffSession(
        db,
        { operatorId: request.operator.id, staffId: done.value.staffId, verified: false },
        { ip: request.ip, userAgent: request.headers['user-agent'] },
      );
      return reply.startStaffCookie(session).redirect('/staff/totp', 303);
    },
  );
}
