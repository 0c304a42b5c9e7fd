import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import {
  createSubscription,
  type Delivery,
  disableSubscription,
  type Subscription,
  subscriptionsWithLog,
} from '../../app/webhooks/webhook-subscriptions.ts';
import type { Db } from '../../db/client.ts';
import { WEBHOOK_EVENTS } from '../../db/schema/webhooks.ts';
import { formatDateTime, type MessageKey } from '../../i18n/translate.ts';
import type { OutboundPolicy } from '../../integrations/outbound/partner-post.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../shared/form.tsx';
import { choices, formRoute, line } from '../shared/form-schema.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';
import { Input } from './settings-controls.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; documentKey: Buffer; partners: OutboundPolicy };
type Listed = { subscription: Subscription; deliveries: Delivery[] };

function WebhooksPage({
  ctx,
  staff,
  listed,
  typed,
  errors,
  created,
}: {
  ctx: PageContext;
  staff: StaffSession;
  listed: Listed[];
  typed: { url: string; events: string[] };
  errors: FieldErrors;
  created: { url: string; secret: string } | null;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <Layout
      ctx={ctx}
      title={t('webhooks.title')}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      {created && (
        <div class="notice" role="status">
          <p>{t('webhooks.created', { url: created.url })}</p>
          <p class="breakable">
            {t('webhooks.secretOnce')} <code>{created.secret}</code>
          </p>
        </div>
      )}
      <h1>{t('webhooks.title')}</h1>
      <p>{t('webhooks.lead')}</p>
      <ul class="lines">
        {listed.map(({ subscription: s, deliveries }) => (
          <li key={s.id} class="line-card">
            <h2 class="card-title breakable">{s.url}</h2>
            <p>
              {s.active ? t('webhooks.active') : t('webhooks.disabled')} · {s.events.join(', ')}
            </p>
            {deliveries.length === 0 ? (
              <p>{t('webhooks.noDeliveries')}</p>
            ) : (
              <section class="table-scroll" aria-label={t('webhooks.log', { url: s.url })} tabindex={0}>
                <table class="table">
                  <caption>{t('webhooks.log', { url: s.url })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('webhooks.event')}</th>
                      <th scope="col">{t('webhooks.when')}</th>
                      <th scope="col">{t('webhooks.attempts')}</th>
                      <th scope="col">{t('webhooks.answer')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {deliveries.map((d) => (
                      <tr key={d.id}>
                        <td>{d.event}</td>
                        <td>{formatDateTime(locale, d.createdAt, zone)}</td>
                        <td>{d.attempts}</td>
                        <td class="breakable">
                          {d.deliveredAt
                            ? t('webhooks.delivered', { code: d.lastStatusCode ?? '' })
                            : d.attempts === 0
                              ? t('webhooks.waiting')
                              : `${d.lastStatusCode ?? '—'} ${d.lastResponse ?? ''}`}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
            {s.active && (
              <form method="post" action={`/staff/webhooks/${s.id}/disable`}>
                <CsrfField token={staff.csrfToken} />
                <button type="submit" class="button secondary">
                  {t('webhooks.disable')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <h2>{t('webhooks.add')}</h2>
      <form method="post" action="/staff/webhooks" novalidate>
        <CsrfField token={staff.csrfToken} />
        <Input
          ctx={ctx}
          name="url"
          label={t('webhooks.url')}
          hint={t('webhooks.urlHint')}
          errors={errors}
          value={typed.url}
        />
        <fieldset class={errors.events ? 'field field-error' : 'field'} id="events">
          <legend>{t('webhooks.events')}</legend>
          {errors.events && <p class="error">{t(errors.events)}</p>}
          {WEBHOOK_EVENTS.map((event) => (
            <div class="radio" key={event}>
              <input
                type="checkbox"
                id={`event-${event}`}
                name="events"
                value={event}
                checked={typed.events.includes(event)}
              />
              <label for={`event-${event}`}>
                <code>{event}</code> — {t(`webhooks.event.${event}` as MessageKey)}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          {t('webhooks.add')}
        </button>
      </form>
    </Layout>
  );
}

/** Webhook subscriptions of the operator's own systems, with each one's delivery log, for administrators. */
export async function webhookRoutes(app: FastifyInstance, { assets, demo, db, documentKey, partners }: Options) {
  const guard = staffOnly(['admin']);
  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      typed?: { url: string; events: string[] };
      errors?: FieldErrors;
      created?: { url: string; secret: string };
    } = {},
  ) =>
    sendPage(
      reply,
      <WebhooksPage
        ctx={pageContext(request, assets, demo)}
        staff={request.staff as StaffSession}
        listed={await subscriptionsWithLog(db, request.operator.id)}
        typed={extra.typed ?? { url: '', events: [] }}
        errors={extra.errors ?? {}}
        created={extra.created ?? null}
      />,
      extra.errors ? 400 : 200,
    );
  const actor = (request: FastifyRequest) => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };
  app.get('/staff/webhooks', { preHandler: guard }, (request, reply) => page(request, reply));
  app.post<{ Body: { url?: string; events?: string | string[] } }>(
    '/staff/webhooks',
    { ...formRoute({ url: line(2_000), events: choices(40, 10) }), preHandler: guard },
    async (request, reply) => {
      const url = request.body?.url ?? '';
      const events = [request.body?.events ?? []].flat();
      const created = await createSubscription(db, documentKey, partners, actor(request), { url, events });
      if (created.ok) return page(request, reply, { created: { url: url.trim(), secret: created.value.secret } });
      const errors: FieldErrors = {};
      if (created.error.includes('webhooks.url')) errors.url = 'webhooks.url_invalid';
      if (created.error.includes('webhooks.events')) errors.events = 'webhooks.events_missing';
      return page(request, reply, { typed: { url, events }, errors });
    },
  );
  app.post<{ Params: { id: string } }>(
    '/staff/webhooks/:id/disable',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.id)) return reply.callNotFound();
      const disabled = await disableSubscription(db, actor(request), request.params.id);
      return disabled.ok ? reply.redirect('/staff/webhooks', 303) : reply.callNotFound();
    },
  );
}
