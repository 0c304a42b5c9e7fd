import { CsrfField, ErrorSummary, Field, type FieldErrors, PasswordField } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

export type SignInForm = { phone: string; next: string; passwordWasReset?: boolean };

export function SignInPage({
  ctx,
  form,
  errors,
  csrf,
}: {
  ctx: PageContext;
  form: SignInForm;
  errors: FieldErrors;
  csrf: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signin.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      {form.passwordWasReset && (
        <div class="notice" role="status">
          <p>{t('signin.notice.reset')}</p>
        </div>
      )}
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.lead')}</p>
      <form method="post" action="/login" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="next" value={form.next} />
        <Field
          t={t}
          name="phone"
          label={t('signin.phone')}
          hint={t('signin.phone.hint')}
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          value={form.phone}
          errors={errors}
        />
        <PasswordField t={t} errors={errors} />
        <button type="submit" class="button">
          {t('signin.submit')}
        </button>
      </form>
      <p>
        <a href="/password/forgot">{t('signin.forgot')}</a>
      </p>
    </Layout>
  );
}
