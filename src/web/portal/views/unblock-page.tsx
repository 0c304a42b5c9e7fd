import { CsrfField, ErrorSummary, type FieldErrors, PasswordField } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';

type UnblockPageProps = { ctx: PageContext; lineId: string; msisdn: string; errors: FieldErrors; csrf: string };

/** Re-authentication before a blocked SIM works again. */
export function UnblockPage({ ctx, lineId, msisdn, errors, csrf }: UnblockPageProps) {
  const { t } = ctx;
  const title = t('unblock.title', { number: phoneText(msisdn) });
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{title}</h1>
      <p>{t('unblock.lead')}</p>
      <form method="post" action={`/lines/${lineId}/unblock`} novalidate>
        <CsrfField token={csrf} />
        <PasswordField t={t} errors={errors} />
        <button type="submit" class="button">
          {t('unblock.submit')}
        </button>
      </form>
      <p>
        <a href="/account">{t('unblock.cancel')}</a>
      </p>
    </Layout>
  );
}
