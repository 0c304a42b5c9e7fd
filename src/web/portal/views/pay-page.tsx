import type { Payment } from '../../../app/payments/payments.ts';
import type { ReplacementRequest } from '../../../app/requests/replacement-draft.ts';
import { formatMoney } from '../../../i18n/translate.ts';
import { CsrfField, Radios } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

type PayPageProps = {
  ctx: PageContext;
  request: ReplacementRequest;
  attemptKey: string;
  csrf: string;
  /** The last attempt, when it failed: its reason is shown above the form. */
  failed: Payment | null;
  unavailable: boolean;
};

const FAILURES = [
  'card_declined',
  'insufficient_funds',
  'authentication_failed',
  'wallet_declined',
  'expired',
] as const;

/** Choosing how to pay the fee; the payment itself happens on the gateway's page. */
export function PayPage({ ctx, request, attemptKey, csrf, failed, unavailable }: PayPageProps) {
  const { t, locale } = ctx;
  const fee = formatMoney(locale, request.feeMinor, request.currency);
  const title = t('pay.title', { fee });
  const reason = FAILURES.find((f) => f === failed?.failureReason);
  return (
    <Layout ctx={ctx} title={title} hasErrors={Boolean(failed || unavailable)}>
      {(failed || unavailable) && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{unavailable ? t('pay.unavailable') : t(reason ? `pay.failed.${reason}` : 'pay.failed')}</p>
        </div>
      )}
      <p class="caption">{t('status.title', { reference: request.reference })}</p>
      <h1>{title}</h1>
      <form method="post" action={`/requests/${request.id}/pay`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="attempt" value={attemptKey} />
        <Radios
          t={t}
          name="method"
          legend={t('pay.method')}
          value="card"
          errors={{}}
          options={[
            { value: 'card', label: t('pay.method.card'), hint: t('pay.method.card.hint') },
            { value: 'ewallet', label: t('pay.method.ewallet'), hint: t('pay.method.ewallet.hint') },
          ]}
        />
        <button type="submit" class="button">
          {t('pay.submit', { fee })}
        </button>
      </form>
      <p>
        <a href={`/requests/${request.id}`}>{t('pay.later')}</a>
      </p>
    </Layout>
  );
}
