import type { SecondFactorChannel } from '../../../app/auth/second-factor.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

type ConfirmPageProps = {
  ctx: PageContext;
  requestId: string;
  via: SecondFactorChannel;
  to: string;
  /** The other channel the code can be sent through instead, if the account has one. */
  other: SecondFactorChannel | null;
  errors: FieldErrors;
  csrf: string;
};

/** The second factor before a request is sent: a code to the e-mail or the second phone. */
export function ConfirmPage({ ctx, requestId, via, to, other, errors, csrf }: ConfirmPageProps) {
  const { t } = ctx;
  const title = t('confirm.title');
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <a class="back" href={`/requests/${requestId}/check`}>
        {t('wizard.back')}
      </a>
      <ErrorSummary t={t} errors={errors} />
      <h1>{title}</h1>
      <p>{t(via === 'email' ? 'confirm.sent.email' : 'confirm.sent.sms', { to })}</p>
      <form method="post" action={`/requests/${requestId}/confirm`} novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="code"
          label={t('confirm.code')}
          hint={t('confirm.code.hint')}
          inputmode="numeric"
          autocomplete="one-time-code"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('wizard.submit')}
        </button>
      </form>
      <form method="post" action={`/requests/${requestId}/confirm/send`}>
        <CsrfField token={csrf} />
        <button type="submit" name="channel" value={via} class="button secondary">
          {t('confirm.resend')}
        </button>{' '}
        {other && (
          <button type="submit" name="channel" value={other} class="button secondary">
            {t(other === 'email' ? 'confirm.useEmail' : 'confirm.useSms')}
          </button>
        )}
      </form>
    </Layout>
  );
}
