import { MIN_PASSWORD_LENGTH } from '../../../domain/password-policy.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, Radios } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';

type FormPageProps = { ctx: PageContext; errors: FieldErrors; csrf: string };

export function ForgotPasswordPage({
  ctx,
  errors,
  csrf,
  phone,
  channel,
}: FormPageProps & { phone: string; channel: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('forgot.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('forgot.title')}</h1>
      <p>{t('forgot.lead')}</p>
      <form method="post" action="/password/forgot" novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="phone"
          label={t('signin.phone')}
          hint={t('signin.phone.hint')}
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          value={phone}
          errors={errors}
        />
        <Radios
          t={t}
          name="channel"
          legend={t('forgot.channel')}
          options={[
            { value: 'email', label: t('forgot.channel.email') },
            { value: 'sms', label: t('forgot.channel.sms') },
          ]}
          value={channel}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('forgot.submit')}
        </button>
      </form>
    </Layout>
  );
}

export function ResetLinkSentPage({ ctx, minutes }: { ctx: PageContext; minutes: number }) {
  const { t, operator } = ctx;
  return (
    <Layout ctx={ctx} title={t('forgot.sent.title')}>
      <h1>{t('forgot.sent.title')}</h1>
      <p>{t('forgot.sent.body', { minutes, phone: operator ? phoneText(operator.supportPhone) : '' })}</p>
    </Layout>
  );
}

export function NewPasswordPage({ ctx, errors, csrf, token }: FormPageProps & { token: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('reset.title')}</h1>
      <form method="post" action={`/password/reset/${token}`} novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="password"
          label={t('reset.password')}
          hint={t('reset.lead', { min: MIN_PASSWORD_LENGTH })}
          type="password"
          autocomplete="new-password"
          errors={errors}
        />
        <Field
          t={t}
          name="confirm"
          label={t('reset.confirm')}
          type="password"
          autocomplete="new-password"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('reset.submit')}
        </button>
      </form>
    </Layout>
  );
}

export function ResetLinkInvalidPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.invalid')}>
      <h1>{t('reset.invalid')}</h1>
      <p>{t('reset.invalid.body')}</p>
      <p>
        <a href="/password/forgot">{t('reset.again')}</a>
      </p>
    </Layout>
  );
}

export function ResetCodePage({
  ctx,
  errors,
  csrf,
  phone,
  minutes,
}: FormPageProps & { phone: string; minutes: number }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('code.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('code.title')}</h1>
      <p>{t('code.lead', { minutes })}</p>
      <form method="post" action="/password/code" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="phone" value={phone} />
        <Field
          t={t}
          name="code"
          label={t('code.code')}
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('code.submit')}
        </button>
      </form>
    </Layout>
  );
}
