import type { ComponentChildren } from 'preact';
import { CsrfField, ErrorSummary, Field, type FieldErrors, PasswordField } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

type Base = { ctx: PageContext; requestId: string; csrf: string; errors: FieldErrors; note?: string | null };

/** The frame of a page in the activation steps: back to the request, what went wrong, the title. */
function Step({
  ctx,
  requestId,
  errors,
  note,
  title,
  children,
}: Omit<Base, 'csrf'> & { title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0 || Boolean(note)}>
      <a class="back" href={`/requests/${requestId}`}>
        {ctx.t('wizard.back')}
      </a>
      <ErrorSummary t={ctx.t} errors={errors} />
      {note && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{note}</p>
        </div>
      )}
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

/** Activating a delivered card with the ICCID printed on it. */
export function ActivatePage({ ctx, requestId, csrf, errors, note, iccid }: Base & { iccid: string }) {
  const { t } = ctx;
  return (
    <Step ctx={ctx} requestId={requestId} errors={errors} note={note} title={t('activate.title')}>
      <p>{t('activate.lead')}</p>
      <form method="post" action={`/requests/${requestId}/activate`} novalidate>
        <CsrfField token={csrf} />
        <Field
          t={t}
          name="iccid"
          label={t('activate.iccid')}
          hint={t('activate.iccid.hint')}
          inputmode="numeric"
          value={iccid}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('activate.submit')}
        </button>
      </form>
    </Step>
  );
}

/** Re-authentication before the eSIM code is shown; once shown, only the switch-over is left. */
export function EsimPasswordPage({ ctx, requestId, csrf, errors, note, shown }: Base & { shown: boolean }) {
  const { t } = ctx;
  return (
    <Step ctx={ctx} requestId={requestId} errors={errors} note={note} title={t('esim.title')}>
      {shown ? (
        <>
          <p>{t('esim.alreadyShown')}</p>
          <SwitchOver ctx={ctx} requestId={requestId} csrf={csrf} />
        </>
      ) : (
        <>
          <p>{t('esim.lead')}</p>
          <form method="post" action={`/requests/${requestId}/esim`} novalidate>
            <CsrfField token={csrf} />
            <PasswordField t={t} errors={errors} />
            <button type="submit" class="button">
              {t('esim.show')}
            </button>
          </form>
        </>
      )}
    </Step>
  );
}

function SwitchOver({ ctx, requestId, csrf }: { ctx: PageContext; requestId: string; csrf: string }) {
  const { t } = ctx;
  return (
    <form method="post" action={`/requests/${requestId}/esim/activate`}>
      <CsrfField token={csrf} />
      <p>{t('esim.switch.hint')}</p>
      <button type="submit" class="button">
        {t('esim.switch')}
      </button>
    </form>
  );
}

/** The activation code, shown this one time as a QR code and as text. */
export function EsimCodePage({ ctx, requestId, csrf, code, qr }: Omit<Base, 'errors'> & { code: string; qr: string }) {
  const { t } = ctx;
  const title = t('esim.code.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('esim.code.lead')}</p>
      <img src={qr} alt={t('esim.code.qr')} width={240} height={240} />
      <p>
        {t('esim.code.manual')} <code>{code}</code>
      </p>
      <p class="notice">{t('esim.code.once')}</p>
      <SwitchOver ctx={ctx} requestId={requestId} csrf={csrf} />
    </Layout>
  );
}

/** After activation: what to try, and what to do when something does not work. */
export function Checklist({ ctx }: { ctx: PageContext }) {
  const { t, operator } = ctx;
  const support = { phone: operator?.supportPhone ?? '', email: operator?.supportEmail ?? '' };
  return (
    <section aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('checklist.title')}</h2>
      <ol>
        {(['restart', 'calls', 'sms', 'data'] as const).map((step) => (
          <li key={step}>
            <strong>{t(`checklist.${step}`)}</strong> {t(`checklist.${step}.fix`)}
          </li>
        ))}
      </ol>
      <p>{t('checklist.support', support)}</p>
    </section>
  );
}
