import type { AccountOverview } from '../../../app/accounts/account-overview.ts';
import { formatMsisdn } from '../../../domain/msisdn.ts';
import type { SimChangeLockState } from '../../../domain/sim-change-lock.ts';
import { formatDate, formatDateTime } from '../../../i18n/translate.ts';
import { CsrfField } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

export type AccountNotice = { kind: 'blocked' | 'unblocked'; msisdn: string };

type AccountPageProps = {
  ctx: PageContext;
  account: AccountOverview;
  lock: SimChangeLockState & { releaseHours: number };
  csrf: string;
  notice: AccountNotice | null;
};

export function AccountPage({ ctx, account, lock, csrf, notice }: AccountPageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      {notice && (
        <div class="notice" role="status">
          <p>{t(`account.notice.${notice.kind}`, { number: formatMsisdn(notice.msisdn) })}</p>
        </div>
      )}
      <h1>{t('account.hello', { name: account.fullName })}</h1>
      <h2>{t('account.lines')}</h2>
      <p class="hint">{t('account.block.hint')}</p>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('account.number')}</th>
            <th scope="col">{t('account.kind')}</th>
            <th scope="col">{t('account.sim')}</th>
            <th scope="col">{t('account.status')}</th>
            <th scope="col">{t('account.lastChange')}</th>
            <th scope="col">{t('account.actions')}</th>
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
              <td>{line.lastSimChangeAt ? formatDate(locale, line.lastSimChangeAt) : t('account.never')}</td>
              <td>
                <LineAction ctx={ctx} lineId={line.id} msisdn={line.msisdn} status={line.status} csrf={csrf} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {account.requests.length > 0 && (
        <>
          <h2>{t('account.requests')}</h2>
          <ul>
            {account.requests.map((r) => (
              <li key={r.id}>
                <a href={`/requests/${r.id}`}>{r.reference}</a> {formatMsisdn(r.msisdn)}:{' '}
                {t(`requestStatus.${r.status}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      <LockSection ctx={ctx} lock={lock} csrf={csrf} />
      <p>
        <a href="/account/settings">{t('settings.link')}</a>
      </p>
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

function LineAction({ ctx, lineId, msisdn, status, csrf }: { ctx: PageContext; csrf: string } & LineRef) {
  const { t } = ctx;
  const number = formatMsisdn(msisdn);
  if (status === 'blocked') {
    return (
      <>
        <a href={`/lines/${lineId}/unblock`} aria-label={`${t('account.unblock')} ${number}`}>
          {t('account.unblock')}
        </a>
        <ReplaceButton ctx={ctx} lineId={lineId} number={number} csrf={csrf} />
      </>
    );
  }
  if (status !== 'active') return null;
  return (
    <>
      <form method="post" action={`/lines/${lineId}/block`}>
        <CsrfField token={csrf} />
        <button type="submit" class="button warning" aria-label={`${t('account.block')} ${number}`}>
          {t('account.block')}
        </button>
      </form>
      <ReplaceButton ctx={ctx} lineId={lineId} number={number} csrf={csrf} />
    </>
  );
}

function ReplaceButton({
  ctx,
  lineId,
  number,
  csrf,
}: {
  ctx: PageContext;
  lineId: string;
  number: string;
  csrf: string;
}) {
  const { t } = ctx;
  return (
    <form method="post" action={`/lines/${lineId}/replace`}>
      <CsrfField token={csrf} />
      <button type="submit" class="button secondary" aria-label={`${t('account.replace')} ${number}`}>
        {t('account.replace')}
      </button>
    </form>
  );
}

type LineRef = { lineId: string; msisdn: string; status: AccountOverview['lines'][number]['status'] };

function LockSection({ ctx, lock, csrf }: { ctx: PageContext; lock: AccountPageProps['lock']; csrf: string }) {
  const { t, locale, operator } = ctx;
  const state =
    lock.state === 'releasing'
      ? t('lock.state.releasing', {
          at: formatDateTime(locale, lock.releaseAt, operator?.timeZone ?? 'Europe/Moscow'),
        })
      : t(`lock.state.${lock.state}`);
  const wantOn = lock.state !== 'on';
  return (
    <section aria-labelledby="lock-title">
      <h2 id="lock-title">{t('lock.title')}</h2>
      <p>{t('lock.explain', { hours: lock.releaseHours })}</p>
      <p>
        <strong>{state}</strong>
      </p>
      <form method="post" action="/account/sim-lock">
        <CsrfField token={csrf} />
        <input type="hidden" name="lock" value={wantOn ? 'on' : 'off'} />
        <button type="submit" class={wantOn ? 'button' : 'button secondary'}>
          {t(lock.state === 'off' ? 'lock.turnOn' : lock.state === 'on' ? 'lock.turnOff' : 'lock.keepOn')}
        </button>
      </form>
    </section>
  );
}
