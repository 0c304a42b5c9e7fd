import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ClientUsage, clientsWithUsage, createApiClient, revokeApiClient } from '../../app/api/api-clients.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { API_SCOPES, type ApiScope } from '../../db/schema/api.ts';
import { formatDateTime } from '../../i18n/translate.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../shared/form.tsx';
import { choices, formRoute, line } from '../shared/form-schema.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db };
type Created = { name: string; clientId: string; secret: string };

function ApiClientsPage({
  ctx,
  staff,
  clients,
  created,
  form,
  errors,
}: {
  ctx: PageContext;
  staff: StaffSession;
  clients: ClientUsage[];
  created: Created | null;
  form: { name: string; scopes: string[] };
  errors: FieldErrors;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <Layout
      ctx={ctx}
      title={t('apiClients.title')}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      {created && (
        <div class="notice" role="status">
          <h2>{t('apiClients.created', { name: created.name })}</h2>
          <p>{t('apiClients.secretOnce')}</p>
          <dl class="summary">
            <div class="summary-row">
              <dt>client_id</dt>
              <dd class="breakable">
                <code>{created.clientId}</code>
              </dd>
            </div>
            <div class="summary-row">
              <dt>client_secret</dt>
              <dd class="breakable">
                <code>{created.secret}</code>
              </dd>
            </div>
          </dl>
        </div>
      )}
      <h1>{t('apiClients.title')}</h1>
      <p>{t('apiClients.lead')}</p>
      {clients.length === 0 ? (
        <p>{t('apiClients.none')}</p>
      ) : (
        <ul class="lines">
          {clients.map((c) => (
            <li key={c.id} class="line-card">
              <h2 class="card-title">{c.name}</h2>
              <dl>
                <dt>client_id</dt>
                <dd class="breakable">
                  <code>{c.clientId}</code>
                </dd>
                <dt>{t('apiClients.scopes')}</dt>
                <dd>{c.scopes.join(', ')}</dd>
                <dt>{t('apiClients.lastUsed')}</dt>
                <dd>{c.lastUsedAt ? formatDateTime(locale, c.lastUsedAt, zone) : t('account.never')}</dd>
                <dt>{t('counter.case.status')}</dt>
                <dd>{t(c.active ? 'apiClients.active' : 'apiClients.revoked')}</dd>
              </dl>
              {c.months.length > 0 && (
                <table>
                  <caption>{t('apiClients.usage', { name: c.name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('apiClients.month')}</th>
                      <th scope="col">{t('apiClients.endpoint')}</th>
                      <th scope="col">{t('apiClients.calls')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.months.map((m) => (
                      <tr key={`${m.month}-${m.endpoint}`}>
                        <td>{m.month}</td>
                        <td class="breakable">{m.endpoint}</td>
                        <td>{m.calls.toLocaleString(locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {c.active && (
                <form method="post" action={`/staff/api-clients/${c.id}/revoke`}>
                  <CsrfField token={staff.csrfToken} />
                  <button type="submit" class="button warning">
                    {t('apiClients.revoke', { name: c.name })}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/staff/api-clients" novalidate>
        <CsrfField token={staff.csrfToken} />
        <h2>{t('apiClients.new')}</h2>
        <Field t={t} name="name" label={t('apiClients.name')} value={form.name} errors={errors} />
        <fieldset
          class={errors.scopes ? 'field field-error' : 'field'}
          aria-describedby={errors.scopes ? 'scopes-error' : undefined}
        >
          <legend>{t('apiClients.scopes')}</legend>
          {errors.scopes && (
            <p class="error" id="scopes-error">
              {t(errors.scopes)}
            </p>
          )}
          {API_SCOPES.map((scope, i) => (
            <div class="radio" key={scope}>
              <input
                type="checkbox"
                id={i === 0 ? 'scopes' : `scopes-${i}`}
                name="scopes"
                value={scope}
                checked={form.scopes.includes(scope)}
              />
              <label for={i === 0 ? 'scopes' : `scopes-${i}`}>
                {t(`apiClients.scope.${scope}`)} <code class="scope">{scope}</code>
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          {t('apiClients.create')}
        </button>
      </form>
    </Layout>
  );
}

/** The operator's API clients for its administrators: create one (the secret shown once), revoke, and calls per month. */
export async function apiClientRoutes(app: FastifyInstance, { assets, demo, db }: Options) {
  const guard = staffOnly(['admin']);
  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    created: Created | null = null,
    form = { name: '', scopes: [] as string[] },
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const staff = request.staff as StaffSession;
    const clients = await clientsWithUsage(db, staff.operatorId);
    const ctx = pageContext(request, assets, demo);
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <ApiClientsPage ctx={ctx} staff={staff} clients={clients} created={created} form={form} errors={errors} />,
      status,
    );
  };

  app.get('/staff/api-clients', { preHandler: guard }, (request, reply) => page(request, reply));

  app.post<{ Body: { name?: string; scopes?: string | string[] } }>(
    '/staff/api-clients',
    {
      ...formRoute({ name: line(120), scopes: choices() }),
      preHandler: guard,
    },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const name = (request.body?.name ?? '').trim();
      const given = request.body?.scopes ?? [];
      const scopes = (Array.isArray(given) ? given : [given]).filter((s): s is ApiScope =>
        (API_SCOPES as readonly string[]).includes(s),
      );
      const errors: FieldErrors = {};
      if (!name) errors.name = 'apiClients.name_missing';
      if (scopes.length === 0) errors.scopes = 'apiClients.scopes_missing';
      if (Object.keys(errors).length > 0) return page(request, reply, null, { name, scopes }, errors, 400);
      const created = await createApiClient(db, { operatorId: staff.operatorId, name, scopes, staffId: staff.staffId });
      return page(request, reply, { name, ...created });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/staff/api-clients/:id/revoke',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      if (!UUID.test(request.params.id)) return reply.callNotFound();
      const revoked = await revokeApiClient(db, staff.operatorId, staff.staffId, request.params.id);
      if (!revoked) return reply.callNotFound();
      return reply.redirect('/staff/api-clients', 303);
    },
  );
}
