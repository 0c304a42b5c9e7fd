import type { AccountOverview } from '../../app/accounts/account-overview.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import { intlTag } from '../../i18n/translate.ts';
import { CsrfField } from './form.tsx';
import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';

export function AccountPage({ ctx, account, csrf }: { ctx: PageContext; account: AccountOverview; csrf: string }) {
  const { t, locale } = ctx;
  const date = new Intl.DateTimeFormat(intlTag(locale), { dateStyle: 'long' });
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      <h1>{t('account.hello', { name: account.fullName })}</h1>
      <h2>{t('account.lines')}</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('account.number')}</th>
            <th scope="col">{t('account.kind')}</th>
            <th scope="col">{t('account.sim')}</th>
            <th scope="col">{t('account.status')}</th>
            <th scope="col">{t('account.lastChange')}</th>
          </tr>
        </thead>
        <tbody>
          {account.lines.map((line) => (
            <tr key={line.id}>
              <th scope="row">{formatMsisdn(line.msisdn)}</th>
              <td>{t(`account.kind.${line.kind}`)}</td>
              <td>
                {line.formFactor === null
                  ? t('account.sim.none')
                  : t(line.formFactor === 'esim' ? 'account.sim.esim' : 'account.sim.physical')}
              </td>
              <td>{t(`account.status.${line.status}`)}</td>
              <td>{line.lastSimChangeAt ? date.format(line.lastSimChangeAt) : t('account.never')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <form method="post" action="/logout">
          <CsrfField token={csrf} />
          <button type="submit" class="button secondary">
            {t('account.signOut')}
          </button>
        </form>
        <form method="post" action="/logout/everywhere">
          <CsrfField token={csrf} />
          <button type="submit" class="button secondary">
            {t('account.signOutEverywhere')}
          </button>
        </form>
      </div>
    </Layout>
  );
}
