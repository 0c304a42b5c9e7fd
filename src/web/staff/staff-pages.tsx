import type { CounterStock } from '../../app/centers/center-directory.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, PasswordField } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';

/** The menu before signing in: only the staff sign-in, never the subscriber portal's links. */
function StaffNav({ ctx }: { ctx: PageContext }) {
  return <a href="/staff">{ctx.t('staff.signIn.title')}</a>;
}

export function StaffSignInPage({
  ctx,
  email,
  errors,
  csrf,
}: {
  ctx: PageContext;
  email: string;
  errors: FieldErrors;
  csrf: string;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('staff.signIn.title')}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffNav ctx={ctx} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('staff.signIn.title')}</h1>
      <p>{t('staff.signIn.lead')}</p>
      <form method="post" action="/staff" novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="email"
          label={t('staff.email')}
          type="email"
          autocomplete="username"
          inputmode="email"
          value={email}
          errors={errors}
        />
        <PasswordField t={t} errors={errors} />
        <button type="submit" class="button">
          {t('staff.signIn.continue')}
        </button>
      </form>
    </Layout>
  );
}

export type Enrolment = { qr: string; secret: string } | null;

/** The second step; on the first sign-in it also shows the QR code to add to an authenticator app. */
export function StaffTotpPage({
  ctx,
  enrolment,
  errors,
  csrf,
}: {
  ctx: PageContext;
  enrolment: Enrolment;
  errors: FieldErrors;
  csrf: string;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('staff.totp.title')}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffNav ctx={ctx} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('staff.totp.title')}</h1>
      {enrolment && (
        <section aria-labelledby="enrol-title">
          <h2 id="enrol-title">{t('staff.totp.enrol.title')}</h2>
          <p>{t('staff.totp.enrol.lead')}</p>
          <img src={enrolment.qr} alt={t('staff.totp.enrol.qr')} width={240} height={240} />
          <p>
            {t('staff.totp.enrol.manual')} <code class="secret">{enrolment.secret}</code>
          </p>
        </section>
      )}
      <form method="post" action="/staff/totp" novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="code"
          label={t('staff.totp.code')}
          hint={t('staff.totp.code.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('staff.totp.submit')}
        </button>
      </form>
      <form method="post" action="/staff/logout">
        <CsrfField token={csrf} />
        <button type="submit" class="button secondary">
          {t('staff.signIn.restart')}
        </button>
      </form>
    </Layout>
  );
}

export function StaffHomePage({
  ctx,
  staff,
  stock,
  passwordChanged,
}: {
  ctx: PageContext;
  staff: StaffSession;
  stock: CounterStock | null;
  passwordChanged: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.home.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <h1>{t('staff.home.title')}</h1>
      {passwordChanged && (
        <p class="callout" role="status">
          {t('staff.password.changed')}
        </p>
      )}
      <dl class="summary">
        <div class="summary-row">
          <dt>{t('staff.home.name')}</dt>
          <dd>{staff.fullName}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('staff.email')}</dt>
          <dd>{staff.email}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('staff.home.roles')}</dt>
          <dd>{staff.roles.map((role) => t(`staff.role.${role}`)).join(', ')}</dd>
        </div>
        {stock && (
          <div class="summary-row">
            <dt>{t('staff.home.center')}</dt>
            <dd>{stock.name[ctx.locale]}</dd>
          </div>
        )}
      </dl>
      {stock && <StockSection ctx={ctx} stock={stock} />}
      <p>
        <a href="/staff/password">{t('staff.password.title')}</a>
      </p>
      <div class="actions">
        <form method="post" action="/staff/logout">
          <CsrfField token={staff.csrfToken} />
          <button type="submit" class="button secondary">
            {t('staff.signOut')}
          </button>
        </form>
        <form method="post" action="/staff/logout/everywhere">
          <CsrfField token={staff.csrfToken} />
          <button type="submit" class="button secondary">
            {t('staff.signOutEverywhere')}
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** The center's stock at the counter by kind, with a warning below the center's threshold. */
function StockSection({ ctx, stock }: { ctx: PageContext; stock: CounterStock }) {
  const { t } = ctx;
  const kinds = [
    { key: 'physical' as const, count: stock.physical },
    ...(stock.offersEsim ? [{ key: 'esim' as const, count: stock.esim }] : []),
  ];
  return (
    <section aria-labelledby="stock-title">
      <h2 id="stock-title">{t('staff.stock.title')}</h2>
      <dl class="summary">
        {kinds.map(({ key, count }) => (
          <div key={key} class="summary-row">
            <dt>{t(`staff.stock.${key}`)}</dt>
            <dd>
              {count}
              {count < stock.threshold && (
                <span class="tag warning"> {t('staff.stock.low', { threshold: stock.threshold })}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A member changes their own password; the first thing asked of one whose password an administrator set. */
/** A new password and its repeat, as the password change and a new member's enrolment ask for them. */
export function NewPasswordFields({ t, errors }: { t: PageContext['t']; errors: FieldErrors }) {
  return (
    <>
      <Field
        t={t}
        name="next"
        type="password"
        label={t('staff.password.next')}
        hint={t('staff.password.hint')}
        autocomplete="new-password"
        errors={errors}
      />
      <Field
        t={t}
        name="repeat"
        type="password"
        label={t('staff.password.repeat')}
        autocomplete="new-password"
        errors={errors}
      />
    </>
  );
}

export function StaffPasswordPage({
  ctx,
  staff,
  errors,
}: {
  ctx: PageContext;
  staff: StaffSession;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('staff.password.title')}
      hasErrors={Object.keys(errors).length > 0}
      nav={staff.passwordChangeRequired ? undefined : <StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('staff.password.title')}</h1>
      <p>{t(staff.passwordChangeRequired ? 'staff.password.required' : 'staff.password.lead')}</p>
      <form method="post" action="/staff/password" novalidate>
        <CsrfField token={staff.csrfToken} />
        <Field
          t={t}
          name="current"
          type="password"
          label={t('staff.password.current')}
          autocomplete="current-password"
          errors={errors}
        />
        <NewPasswordFields t={t} errors={errors} />
        <button type="submit" class="button">
          {t('staff.password.save')}
        </button>
      </form>
    </Layout>
  );
}
