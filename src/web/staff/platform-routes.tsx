import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Links } from '../../app/operators/links.ts';
import { createOperator } from '../../app/platform/create-operator.ts';
import { type OperatorSummary, platformOverview } from '../../app/platform/platform-overview.ts';
import { ENROLMENT_HOURS } from '../../app/staff/enrolment.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../shared/form.tsx';
import { formRoute, line } from '../shared/form-schema.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';
import { Input } from './settings-controls.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; documentKey: Buffer; links: Links; onOutboxWrite: () => void };

const NEW_OPERATOR_FIELDS = [
  'slug',
  'nameRu',
  'nameEn',
  'nameZh',
  'hostnames',
  'timeZone',
  'currency',
  'supportPhone',
  'supportEmail',
  'adminName',
  'adminEmail',
] as const;

type Created = { slug: string; adminEmail: string; enrolmentLink: string };

function PlatformPage({
  ctx,
  staff,
  brands,
  values,
  errors,
  created,
}: {
  ctx: PageContext;
  staff: StaffSession;
  brands: OperatorSummary[];
  values: Record<string, string>;
  errors: FieldErrors;
  created: Created | null;
}) {
  const { t, locale } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('platform.title')}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      {created && (
        <div class="notice" role="status">
          <p>{t('platform.created', { slug: created.slug, email: created.adminEmail })}</p>
          <p>
            {t('platform.enrolment', { hours: ENROLMENT_HOURS })} <code>{created.enrolmentLink}</code>
          </p>
        </div>
      )}
      <h1>{t('platform.title')}</h1>
      <p>{t('platform.lead')}</p>
      <ul class="lines">
        {brands.map((b) => (
          <li key={b.slug} class="line-card">
            <h2 class="card-title">
              {b.name[locale]} ({b.slug})
            </h2>
            <dl>
              <dt>{t('platform.col.hosts')}</dt>
              <dd>{b.hostnames.join(', ')}</dd>
              <dt>{t('platform.col.accounts')}</dt>
              <dd>{b.accounts}</dd>
              <dt>{t('platform.col.centers')}</dt>
              <dd>{b.centers}</dd>
              <dt>{t('platform.col.staff')}</dt>
              <dd>{b.staff}</dd>
              <dt>{t('platform.col.open')}</dt>
              <dd>{b.openRequests}</dd>
            </dl>
          </li>
        ))}
      </ul>
      <h2>{t('platform.new')}</h2>
      <form method="post" action="/staff/platform/operators" novalidate>
        <CsrfField token={staff.csrfToken} />
        {NEW_OPERATOR_FIELDS.map((name) => (
          <Input
            key={name}
            ctx={ctx}
            name={name}
            label={t(`platform.field.${name}`)}
            errors={errors}
            value={values[name] ?? (name === 'timeZone' ? 'Europe/Moscow' : name === 'currency' ? 'RUB' : '')}
          />
        ))}
        <button type="submit" class="button">
          {t('platform.create')}
        </button>
      </form>
    </Layout>
  );
}

/** The platform administrator's view across every operator (brand) of the deployment. */
export async function platformRoutes(
  app: FastifyInstance,
  { assets, demo, db, documentKey, links, onOutboxWrite }: Options,
) {
  const guard = staffOnly(['platform_admin']);
  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, string>; errors?: FieldErrors; created?: Created } = {},
  ) =>
    sendPage(
      reply,
      <PlatformPage
        ctx={pageContext(request, assets, demo)}
        staff={request.staff as StaffSession}
        brands={await platformOverview(db)}
        values={extra.values ?? {}}
        errors={extra.errors ?? {}}
        created={extra.created ?? null}
      />,
      extra.errors ? 400 : 200,
    );
  app.get('/staff/platform', { preHandler: guard }, (request, reply) => page(request, reply));
  app.post<{ Body: Record<string, string | undefined> }>(
    '/staff/platform/operators',
    { ...formRoute(Object.fromEntries(NEW_OPERATOR_FIELDS.map((f) => [f, line(300)]))), preHandler: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const body = request.body ?? {};
      const actor = { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
      const created = await createOperator(db, links, documentKey, actor, body);
      if (!created.ok)
        return page(request, reply, { values: body as Record<string, string>, errors: created.error as FieldErrors });
      onOutboxWrite();
      const adminEmail = String(body.adminEmail).trim().toLowerCase();
      return page(request, reply, {
        created: { slug: String(body.slug).trim(), adminEmail, enrolmentLink: created.value.enrolmentLink },
      });
    },
  );
}
