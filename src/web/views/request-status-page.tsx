import type { RequestStatusView } from '../../app/requests/request-status.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import { formatDateTime, formatMoney } from '../../i18n/translate.ts';
import { CsrfField } from './form.tsx';
import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';

/** Where a request stands, with every event so far; right after submitting it is the confirmation. */
export function RequestStatusPage({
  ctx,
  view,
  justSubmitted,
}: {
  ctx: PageContext;
  view: RequestStatusView;
  justSubmitted: boolean;
}) {
  const { t, locale, operator } = ctx;
  const { request } = view;
  const zone = operator?.timeZone ?? 'Europe/Moscow';
  const title = t('status.title', { reference: request.reference });
  return (
    <Layout ctx={ctx} title={title}>
      {justSubmitted && (
        <div class="panel" role="status">
          <h1>{t('status.submitted.title')}</h1>
          <p>
            {t('status.submitted.reference')} <strong>{request.reference}</strong>
          </p>
        </div>
      )}
      {justSubmitted ? <h2>{title}</h2> : <h1>{title}</h1>}
      <p>
        {t('wizard.caption', { number: formatMsisdn(view.msisdn) })}.{' '}
        <strong>{t(`requestStatus.${request.status}`)}</strong>
      </p>
      <h2>{t('status.next.title')}</h2>
      <p>{t(`status.next.${request.status}`, { fee: formatMoney(locale, request.feeMinor, request.currency) })}</p>
      <h2>{t('status.timeline')}</h2>
      <ol class="timeline">
        {view.events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.createdAt.toISOString()}>{formatDateTime(locale, e.createdAt, zone)}</time>{' '}
            {t(`requestStatus.${e.toStatus}`)}
          </li>
        ))}
      </ol>
      <p>
        <a href="/account">{t('wizard.toAccount')}</a>
      </p>
    </Layout>
  );
}

export function WasntMePage({
  ctx,
  state,
  csrf,
}: {
  ctx: PageContext;
  state: 'confirm' | 'done' | 'invalid';
  csrf: string;
}) {
  const { t } = ctx;
  const title = t(`wasntMe.${state}.title`);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t(`wasntMe.${state}.body`)}</p>
      {state === 'confirm' && (
        <form method="post">
          <CsrfField token={csrf} />
          <button type="submit" class="button warning">
            {t('wasntMe.confirm.button')}
          </button>
        </form>
      )}
    </Layout>
  );
}
