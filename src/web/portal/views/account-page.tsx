import type { AccountOverview } from '../../../app/accounts/account-overview.ts';
import { formatMsisdn } from '../../../domain/msisdn.ts';
import { lockState } from '../../../domain/sim-change-lock.ts';
import { formatDate, formatDateTime } from '../../../i18n/translate.ts';
import { CsrfField } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { PhoneNumber, phoneText } from '../../shared/phone-number.tsx';

export type AccountNotice = { kind: 'blocked' | 'unblocked'; msisdn: string };

type AccountPageProps = {
  ctx: PageContext;
  account: AccountOverview;
  csrf: string;
  notice: AccountNotice | null;
};

export function AccountPage({ ctx, account, csrf, notice }: AccountPageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      {notice && (
        <div class="notice" role="status">
          <p>{t(`account.notice.${notice.kind}`, { number: phoneText(notice.msisdn) })}</p>
        </div>
      )}
      <h1>{t('account.hello', { name: account.fullName })}</h1>
      <h2>{t('account.lines')}</h2>
      <p class="hint">{t('account.block.hint')}</p>
      <ul class="lines">
        {account.lines.map((line) => (
          <li key={line.id} class="line-card">
            <h3>
              <PhoneNumber msisdn={line.msisdn} />
            </h3>
            <dl>
              <dt>{t('account.kind')}</dt>
              <dd>{t(`account.kind.${line.kind}`)}</dd>
              <dt>{t('account.sim')}</dt>
              <dd>
                {line.formFactor === null
                  ? t('account.sim.none')
                  : t(line.formFactor === 'esim' ? 'account.sim.esim' : 'account.sim.physical')}
              </dd>
              <dt>{t('account.status')}</dt>
              <dd class={line.status === 'blocked' ? 'status-blocked' : undefined}>
                {t(`account.status.${line.status}`)}
              </dd>
              <dt>{t('account.lastChange')}</dt>
              <dd>{line.lastSimChangeAt ? formatDate(locale, line.lastSimChangeAt) : t('account.never')}</dd>
            </dl>
            <div class="actions">
              <LineAction ctx={ctx} lineId={line.id} msisdn={line.msisdn} status={line.status} csrf={csrf} />
            </div>
          </li>
        ))}
      </ul>
      {account.requests.length > 0 && (
        <>
          <h2>{t('account.requests')}</h2>
          <ul>
            {account.requests.map((r) => (
              <li key={r.id}>
                <a href={`/requests/${r.id}`}>{r.reference}</a> <PhoneNumber msisdn={r.msisdn} />:{' '}
                {t(`requestStatus.${r.status}`)}
              </li>
            ))}
          </ul>
        </>
      )}
      <LockSection ctx={ctx} stored={account.lock} csrf={csrf} />
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
        <a class="button secondary" href={`/lines/${lineId}/unblock`} aria-label={`${t('account.unblock')} ${number}`}>
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

function LockSection({ ctx, stored, csrf }: { ctx: PageContext; stored: AccountOverview['lock']; csrf: string }) {
  const lock = { ...lockState(stored, new Date()), releaseHours: stored.releaseHours };
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
