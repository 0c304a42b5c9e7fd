import { baseFeeMinor, type OperatorProfile } from '../../../app/operators/operator-profile.ts';
import { formatList, formatMoney } from '../../../i18n/translate.ts';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';

export function HomePage({ ctx, profile }: { ctx: PageContext; profile: OperatorProfile }) {
  const { t, locale } = ctx;
  const { operator, zones } = profile;
  const fee = baseFeeMinor(profile.feeRules);
  const minDays = Math.min(...zones.map((z) => z.minDays));
  const maxDays = Math.max(...zones.map((z) => z.maxDays));
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('home.lead', { operator: operator.name[locale] })}</p>
      <div class="callout" role="note" aria-labelledby="lost-title">
        <h2 id="lost-title">{t('home.lost.title')}</h2>
        <p>{t('home.lost.body', { phone: phoneText(operator.supportPhone) })}</p>
      </div>
      <h2>{t('home.ways.title')}</h2>
      <div class="cards">
        {operator.onlineReplacement !== 'nobody' && (
          <section class="card" aria-labelledby="online-title">
            <h3 id="online-title">{t('home.online.title')}</h3>
            <p>{t('home.online.body')}</p>
            {zones.length > 0 && <p>{t('home.online.steps', { min: minDays, max: maxDays })}</p>}
          </section>
        )}
        <section class="card" aria-labelledby="center-title">
          <h3 id="center-title">{t('home.center.title')}</h3>
          <p>
            {profile.centers.length > 0
              ? t('home.center.body', { count: profile.centers.length })
              : t('home.center.none', { phone: phoneText(operator.supportPhone), email: operator.supportEmail })}
          </p>
          {profile.cities.length > 0 && (
            <p>
              {t('home.center.cities', {
                cities: formatList(
                  locale,
                  profile.cities.map((c) => c[locale]),
                ),
              })}
            </p>
          )}
        </section>
      </div>
      {fee !== null && <p>{t('home.fee', { fee: formatMoney(locale, fee, operator.currency) })}</p>}
      <h2>{t('home.safety.title')}</h2>
      <p>{t('home.safety.body')}</p>
      <p>
        <a href="/faq">{t('home.faq')}</a>
      </p>
    </Layout>
  );
}
