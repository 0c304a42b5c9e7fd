import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type PendingRefund, pendingRefunds } from '../../app/payments/counter-refunds.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { formatDateTime, formatMoney, type MessageKey } from '../../i18n/translate.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';
import { RetryForm, retryRoute } from './stuck-delivery-routes.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; onOutboxWrite: () => void };

function RefundsPage({
  ctx,
  staff,
  refunds,
  retried,
}: {
  ctx: PageContext;
  staff: StaffSession;
  refunds: PendingRefund[];
  retried: boolean;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <Layout ctx={ctx} title={t('refunds.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      {retried && (
        <div class="notice" role="status">
          <p>{t('refunds.retried')}</p>
        </div>
      )}
      <h1>{t('refunds.title')}</h1>
      <p>{t('refunds.lead')}</p>
      {refunds.length === 0 ? (
        <p>{t('refunds.none')}</p>
      ) : (
        <ul class="lines">
          {refunds.map((r) => (
            <li key={r.paymentId} class="line-card">
              <h2 class="card-title">
                <a href={`/staff/review/${r.requestId}`}>{r.reference}</a> ·{' '}
                <span class="nowrap">{formatMoney(locale, r.amountMinor, r.currency)}</span>
              </h2>
              <p class={'gateway' in r.where && r.where.state === 'dead' ? 'tag warning' : 'tag'}>
                {'center' in r.where
                  ? t('refunds.atCenter', { center: r.where.center })
                  : t(`refunds.gateway.${r.where.state}` as MessageKey, { gateway: r.where.gateway })}
              </p>
              <dl>
                <dt>{t('refunds.method')}</dt>
                <dd>{t(`pay.method.${r.method}` as MessageKey)}</dd>
                <dt>{t('network.since')}</dt>
                <dd>{formatDateTime(locale, r.owedSince, zone)}</dd>
                {r.lastError && (
                  <>
                    <dt>{t('network.lastError')}</dt>
                    <dd class="breakable">{r.lastError}</dd>
                  </>
                )}
              </dl>
              {'gateway' in r.where && r.where.state === 'dead' && r.where.jobId !== null && (
                <RetryForm ctx={ctx} staff={staff} action={`/staff/refunds/${r.where.jobId}/retry`} />
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** Every refund still owed, for administrators: at a center's counter, or through the gateway. */
export async function refundRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite }: Options) {
  const guard = staffOnly(['admin']);
  const page = async (request: FastifyRequest, retried: boolean) => (
    <RefundsPage
      ctx={pageContext(request, assets, demo)}
      staff={request.staff as StaffSession}
      refunds={await pendingRefunds(db, request.operator.id)}
      retried={retried}
    />
  );
  app.get<{ Querystring: { done?: string } }>('/staff/refunds', { preHandler: guard }, async (request, reply) =>
    sendPage(reply, await page(request, request.query.done === 'retried')),
  );
  retryRoute(app, { db, onOutboxWrite }, 'payments', '/staff/refunds');
}
