import { maskMsisdn } from '../../../domain/msisdn.ts';
import { LOCALES, type Locale } from '../../../i18n/translate.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, PasswordField, Radios } from '../../shared/form.tsx';
import { LANGUAGE_NAMES, Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

export type SettingsForm = 'email' | 'phone';

type SettingsPageProps = {
  ctx: PageContext;
  csrf: string;
  account: { locale: Locale; email: string | null; secondPhone: string | null };
  /** The form that was refused, its errors and what was typed into it. */
  refused: { form: SettingsForm; errors: FieldErrors; value: string } | null;
  done: 'language' | 'email' | 'phone' | null;
};

/** Language, e-mail and second phone; each contact change is confirmed by a code to the new address. */
export function SettingsPage({ ctx, csrf, account, refused, done }: SettingsPageProps) {
  const { t } = ctx;
  const title = t('settings.title');
  const errorsOf = (form: SettingsForm) => (refused?.form === form ? refused.errors : {});
  return (
    <Layout ctx={ctx} title={title} hasErrors={refused !== null}>
      <a class="back" href="/account">
        {t('wizard.toAccount')}
      </a>
      {refused && <ErrorSummary t={t} errors={refused.errors} />}
      {done && (
        <div class="notice" role="status">
          <p>{t(`settings.done.${done}`)}</p>
        </div>
      )}
      <h1>{title}</h1>
      <form method="post" action="/account/settings/language">
        <CsrfField token={csrf} />
        <Radios
          t={t}
          name="locale"
          legend={t('settings.language')}
          value={account.locale}
          errors={{}}
          options={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <button type="submit" class="button secondary">
          {t('settings.language.save')}
        </button>
      </form>
      <ContactForm
        ctx={ctx}
        csrf={csrf}
        form="email"
        current={account.email ?? t('settings.none')}
        errors={errorsOf('email')}
        value={refused?.form === 'email' ? refused.value : ''}
      />
      <ContactForm
        ctx={ctx}
        csrf={csrf}
        form="phone"
        current={account.secondPhone ? maskMsisdn(account.secondPhone) : t('settings.none')}
        errors={errorsOf('phone')}
        value={refused?.form === 'phone' ? refused.value : ''}
      />
    </Layout>
  );
}

function ContactForm({
  ctx,
  csrf,
  form,
  current,
  errors,
  value,
}: {
  ctx: PageContext;
  csrf: string;
  form: SettingsForm;
  current: string;
  errors: FieldErrors;
  value: string;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby={`${form}-title`}>
      <h2 id={`${form}-title`}>{t(`settings.${form}.title`)}</h2>
      <p>{t('settings.current', { value: current })}</p>
      <form method="post" action={`/account/settings/${form}`} novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name={form === 'email' ? 'email' : 'phone'}
          label={t(`settings.${form}.new`)}
          hint={t(`settings.${form}.hint`)}
          type={form === 'email' ? 'email' : 'tel'}
          value={value}
          errors={errors}
        />
        <PasswordField t={t} errors={errors} />
        <button type="submit" class="button">
          {t('settings.sendCode')}
        </button>
      </form>
    </section>
  );
}

/** The code sent to the new address. */
export function ContactCodePage({
  ctx,
  csrf,
  form,
  errors,
}: {
  ctx: PageContext;
  csrf: string;
  form: SettingsForm;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  const title = t(`settings.${form}.confirm`);
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <a class="back" href="/account/settings">
        {t('wizard.back')}
      </a>
      <ErrorSummary t={t} errors={errors} />
      <h1>{title}</h1>
      <p>{t(`settings.${form}.sent`)}</p>
      <form method="post" action={`/account/settings/${form}/confirm`} novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="code"
          label={t('confirm.code')}
          inputmode="numeric"
          autocomplete="one-time-code"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('settings.confirm')}
        </button>
      </form>
    </Layout>
  );
}
