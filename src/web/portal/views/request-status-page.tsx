import type { Payment } from '../../../app/payments/payments.ts';
import { ESIM_PROGRESS } from '../../../app/requests/esim-orders.ts';
import { NETWORK_CONFIRMED } from '../../../app/requests/network-confirmation.ts';
import type { RequestStatusView, TimelineEvent } from '../../../app/requests/request-status.ts';
import { isTerminal, type RequestStatus } from '../../../domain/request-machine.ts';
import { formatMoney } from '../../../i18n/translate.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';
import { Timeline } from '../../shared/timeline.tsx';
import { Checklist } from './activation-pages.tsx';
import { DocumentFields } from './document-fields.tsx';

/** Where a request stands, with every event so far; right after submitting it is the confirmation. */
export function RequestStatusPage({
  ctx,
  view,
  justSubmitted,
  payments,
  canCancel,
  csrf,
  upload,
  pickupQr,
  simulatedPhone,
}: {
  ctx: PageContext;
  /** The demo's SM-DP+ simulator can play a phone scanning the activation code. */
  simulatedPhone: boolean;
  /** The reference as a QR code while the card waits at the center. */
  pickupQr: string | null;
  view: RequestStatusView;
  justSubmitted: boolean;
  payments: Payment[];
  canCancel: boolean;
  csrf: string;
  /** The new-scan form shown while review waits for more information. */
  upload: { errors: FieldErrors; input: Record<string, string>; maxMegabytes: number };
}) {
  const { t, locale } = ctx;
  const { request } = view;
  const title = t('status.title', { reference: request.reference });
  const live = !isTerminal(request.status);
  return (
    <Layout ctx={ctx} title={title} scripts={live ? [ctx.assets.liveStatus] : []}>
      {live && (
        <div hidden data-live-status={`/requests/${request.id}/status.json`} data-version={String(request.version)} />
      )}
      <p class="notice" role="status" data-live-notice hidden>
        {t('status.changed')} <a href={`/requests/${request.id}`}>{t('status.reload')}</a>
      </p>
      {justSubmitted && (
        <div class="panel" role="status">
          <h1>{t('status.submitted.title')}</h1>
          <p>
            {t('status.submitted.reference')} <strong class="nowrap">{request.reference}</strong>
          </p>
        </div>
      )}
      {justSubmitted ? <h2>{title}</h2> : <h1>{title}</h1>}
      <p>
        {t('wizard.caption', { number: phoneText(view.msisdn) })}.{' '}
        <strong>{t(`requestStatus.${request.status}`)}</strong>
      </p>
      <p>
        <a href={`/requests/${request.id}/receipt.pdf`}>{t('status.receipt')}</a>
      </p>
      <h2>{t('status.next.title')}</h2>
      <p>
        {t(nextStepKey(request.status, payments), { fee: formatMoney(locale, request.feeMinor, request.currency) })}
      </p>
      {request.status === 'needs_info' && (
        <NewDocument ctx={ctx} requestId={request.id} note={request.infoRequest} csrf={csrf} {...upload} />
      )}
      {pickupQr && (
        <figure class="qr">
          <img
            src={pickupQr}
            alt={t('status.pickup.qr.alt', { reference: request.reference })}
            width="200"
            height="200"
          />
          <figcaption>{t('status.pickup.qr.lead')}</figcaption>
        </figure>
      )}
      {request.status === 'delivered' && (
        <p>
          <a class="button" href={`/requests/${request.id}/activate`}>
            {t('status.activate')}
          </a>
        </p>
      )}
      {request.status === 'sim_assigned' && request.delivery === 'esim' && (
        <>
          <EsimProgress ctx={ctx} events={view.events} />
          {simulatedPhone && request.activationCodeShownAt && (
            <form method="post" action={`/requests/${request.id}/esim/simulated-phone`}>
              <CsrfField token={csrf} />
              <p class="notice">{t('status.simulatedPhone.hint')}</p>
              <button type="submit" class="button secondary">
                {t('status.simulatedPhone')}
              </button>
            </form>
          )}
          <p>
            <a class="button" href={`/requests/${request.id}/esim`}>
              {t('status.esim')}
            </a>
          </p>
        </>
      )}
      {request.status === 'activated' && !view.events.some((e) => e.type === NETWORK_CONFIRMED) && (
        <div class="callout" role="status">
          <p>{t('status.networkPending')}</p>
        </div>
      )}
      {request.status === 'activated' && <Checklist ctx={ctx} />}
      {request.status === 'awaiting_payment' && (
        <p>
          <a class="button" href={`/requests/${request.id}/pay`}>
            {t('status.pay', { fee: formatMoney(locale, request.feeMinor, request.currency) })}
          </a>
        </p>
      )}
      {payments.length > 0 && (
        <>
          <h2>{t('status.payments')}</h2>
          <ul>
            {payments.map((p) => (
              <li key={p.id}>
                {formatMoney(locale, p.amountMinor, p.currency)}, {t(`pay.method.${p.method}`)}
                {p.cardLast4 && ` ${t('receipt.card', { last4: p.cardLast4 })}`}: {t(`paymentStatus.${p.status}`)}
                {p.providerRef && ` (${t('status.transaction', { ref: p.providerRef })})`}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('status.timeline')}</h2>
      <Timeline ctx={ctx} events={view.events} />
      {canCancel && (
        <form method="post" action={`/requests/${request.id}/cancel`}>
          <CsrfField token={csrf} />
          <p>{t(request.paidAt ? 'status.cancel.refund' : 'status.cancel.hint')}</p>
          <button type="submit" class="button warning">
            {t('status.cancel')}
          </button>
        </form>
      )}
      <p>
        <a href="/account">{t('wizard.toAccount')}</a>
      </p>
    </Layout>
  );
}

const PAID: Payment['status'][] = ['succeeded', 'refund_pending', 'refunded'];

/** What happens next; a closed request mentions a refund only when something was paid. */
const nextStepKey = (status: RequestStatus, payments: Payment[]) =>
  status === 'cancelled' && payments.some((p) => PAID.includes(p.status))
    ? ('status.next.cancelled.refund' as const)
    : (`status.next.${status}` as const);

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

function NewDocument({
  ctx,
  requestId,
  note,
  csrf,
  errors,
  input,
  maxMegabytes,
}: {
  ctx: PageContext;
  requestId: string;
  note: string | null;
  csrf: string;
  errors: FieldErrors;
  input: Record<string, string>;
  maxMegabytes: number;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby="more-info-title">
      <h2 id="more-info-title">{t('moreInfo.title')}</h2>
      {note && <p class="panel">{note}</p>}
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/requests/${requestId}/document`} enctype="multipart/form-data" novalidate>
        <CsrfField token={csrf} />
        <DocumentFields
          t={t}
          errors={errors}
          docType={input.docType ?? ''}
          docNumber={input.docNumber ?? ''}
          maxMegabytes={maxMegabytes}
        />
        <button type="submit" class="button">
          {t('moreInfo.submit')}
        </button>
      </form>
    </section>
  );
}

/** Where the phone is with the eSIM profile, from the SM-DP+'s notices; nothing until it has been scanned. */
function EsimProgress({ ctx, events }: { ctx: PageContext; events: TimelineEvent[] }) {
  const seen = new Set(events.map((e) => e.type));
  const key = seen.has(ESIM_PROGRESS.failed)
    ? 'status.esimFailed'
    : seen.has(ESIM_PROGRESS.installed)
      ? 'status.esimInstalled'
      : seen.has(ESIM_PROGRESS.downloaded)
        ? 'status.esimDownloaded'
        : null;
  if (!key) return null;
  return (
    <div class="callout" role="status">
      <p class={key === 'status.esimFailed' ? 'warning-text' : undefined}>{ctx.t(key)}</p>
    </div>
  );
}
