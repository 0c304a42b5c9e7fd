import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Links } from '../../app/operators/links.ts';
import { clearReport, confirmFraud, type FrozenRequest, frozenRequests } from '../../app/requests/frozen-requests.ts';
import type { StaffActor } from '../../app/requests/staff-step.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { formatDateTime, formatMoney } from '../../i18n/translate.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { CsrfField } from '../shared/form.tsx';
import { formRoute } from '../shared/form-schema.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { uuidParams } from '../shared/uuid-params.ts';
import { StaffMenu } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; links: Links; onOutboxWrite: () => void };

const OUTCOMES = ['fraud_confirmed', 'cleared', 'refused'] as const;
type Outcome = (typeof OUTCOMES)[number];

function FrozenPage({
  ctx,
  staff,
  requests,
  outcome,
}: {
  ctx: PageContext;
  staff: StaffSession;
  requests: FrozenRequest[];
  outcome: Outcome | null;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const currency = ctx.operator?.currency ?? 'RUB';
  return (
    <Layout ctx={ctx} title={t('frozen.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      {outcome && (
        <div class={outcome === 'refused' ? 'notice warning' : 'notice'} role="status">
          <p>{t(outcome === 'refused' ? 'frozen.refused' : `frozen.done.${outcome}`)}</p>
        </div>
      )}
      <h1>{t('frozen.title')}</h1>
      <p>{t('frozen.lead')}</p>
      {requests.length === 0 ? (
        <p>{t('frozen.none')}</p>
      ) : (
        <ul class="lines">
          {requests.map((r) => (
            <li key={r.id} class="line-card">
              <h2 class="card-title">
                {r.reference} · <span class="nowrap">{phoneText(r.msisdn)}</span>
              </h2>
              <dl>
                <dt>{t('counterForm.subscriber')}</dt>
                <dd>{r.fullName}</dd>
                <dt>{t('frozen.reported')}</dt>
                <dd>{r.frozenAt ? formatDateTime(locale, r.frozenAt, zone) : '—'}</dd>
                <dt>{t('frozen.fee')}</dt>
                <dd>
                  {formatMoney(locale, r.feeMinor, currency)}
                  {r.feeMinor > 0 && !r.paid && ` (${t('frozen.unpaid')})`}
                </dd>
              </dl>
              <div class="actions">
                <form method="post" action={`/staff/frozen/${r.id}/fraud`}>
                  <CsrfField token={staff.csrfToken} />
                  <button type="submit" class="button danger">
                    {t('frozen.fraud')}
                  </button>
                </form>
                <form method="post" action={`/staff/frozen/${r.id}/clear`}>
                  <CsrfField token={staff.csrfToken} />
                  <button type="submit" class="button secondary">
                    {t('frozen.clear')}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** Requests stopped by "This wasn't me", for reviewers to settle: fraud confirmed, or the report cleared. */
export async function frozenRoutes(app: FastifyInstance, { assets, demo, db, links, onOutboxWrite }: Options) {
  const guard = [staffOnly(['reviewer', 'admin']), uuidParams];
  const actor = (request: FastifyRequest): StaffActor => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };
  app.get<{ Querystring: { done?: string } }>('/staff/frozen', { preHandler: guard }, async (request, reply) => {
    const listed = await frozenRequests(db, actor(request));
    if (!listed.ok) return reply.callNotFound();
    return sendPage(
      reply,
      <FrozenPage
        ctx={pageContext(request, assets, demo)}
        staff={request.staff as StaffSession}
        requests={listed.value}
        outcome={OUTCOMES.find((o) => o === request.query.done) ?? null}
      />,
    );
  });
  const settle = (path: string, step: typeof confirmFraud, outcome: Outcome) =>
    app.post<{ Params: { requestId: string } }>(
      `/staff/frozen/:requestId/${path}`,
      { ...formRoute({}), preHandler: guard },
      async (request, reply) => {
        const settled = await step(db, links, actor(request), request.params.requestId);
        if (!settled.ok && (settled.error === 'request.not_found' || settled.error === 'staff.forbidden'))
          return reply.callNotFound();
        if (settled.ok) onOutboxWrite();
        return reply.redirect(`/staff/frozen?done=${settled.ok ? outcome : 'refused'}`, 303);
      },
    );
  settle('fraud', confirmFraud, 'fraud_confirmed');
  settle('clear', clearReport, 'cleared');
}
