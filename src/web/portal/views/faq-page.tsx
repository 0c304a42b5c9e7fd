import { baseFeeMinor, type OperatorProfile } from '../../../app/operators/operator-profile.ts';
import type { FeeRule } from '../../../domain/fees.ts';
import { formatList, formatMoney, type Translate } from '../../../i18n/translate.ts';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';

/** "Stolen, eSIM, at a service center" for a fee rule's criteria. */
function condition(t: Translate, rule: FeeRule): string {
  const parts = [
    rule.reason && t(`reason.${rule.reason}`),
    rule.simType && t(`simType.${rule.simType}`),
    rule.channel && t(`channel.${rule.channel}`),
    rule.delivery && t(`delivery.${rule.delivery}`),
  ].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(', ') : t('faq.cost.any');
}

function Question({ id, question, children }: { id: string; question: string; children: preact.ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{question}</h2>
      {children}
    </section>
  );
}

export function FaqPage({ ctx, profile }: { ctx: PageContext; profile: OperatorProfile }) {
  const { t, locale } = ctx;
  const { operator, zones, feeRules } = profile;
  const money = (minor: number) => formatMoney(locale, minor, operator.currency);
  const fee = baseFeeMinor(feeRules);
  const rules = [...feeRules].sort((a, b) => condition(t, a).localeCompare(condition(t, b), locale));
  const zoneList = formatList(
    locale,
    zones.map((z) => t('faq.zone', { zone: z.name[locale], min: z.minDays, max: z.maxDays })),
  );
  return (
    <Layout ctx={ctx} title={t('faq.title')}>
      <h1>{t('faq.title')}</h1>
      <Question id="faq-time" question={t('faq.time.q')}>
        <p>{t('faq.time.a', { zones: zoneList })}</p>
      </Question>
      {fee !== null && (
        <Question id="faq-cost" question={t('faq.cost.q')}>
          <p>{t('faq.cost.a', { fee: money(fee) })}</p>
          <ul>
            {rules.map((r) => (
              <li key={r.id}>
                {t('faq.cost.rule', { condition: condition(t, r), fee: money(r.amountMinor) })}
                {r.freeIfFirstWithinMonths !== null &&
                  ` (${t('faq.cost.waived', { months: r.freeIfFirstWithinMonths })})`}
              </li>
            ))}
            {zones
              .filter((z) => z.courierFeeMinor > 0)
              .map((z) => (
                <li key={z.id}>{t('faq.cost.courier', { zone: z.name[locale], fee: money(z.courierFeeMinor) })}</li>
              ))}
          </ul>
        </Question>
      )}
      <Question id="faq-password" question={t('faq.password.q')}>
        <p>{t('faq.password.a')}</p>
      </Question>
      <Question id="faq-block" question={t('faq.block.q')}>
        <p>{t('faq.block.a', { phone: phoneText(operator.supportPhone) })}</p>
      </Question>
      <Question id="faq-esim" question={t('faq.esim.q')}>
        <p>{operator.esimEnabled ? t('faq.esim.yes') : t('faq.esim.no', { operator: operator.name[locale] })}</p>
      </Question>
      <Question id="faq-foreign" question={t('faq.foreign.q')}>
        <p>{t(`faq.foreign.${operator.onlineReplacement}`)}</p>
      </Question>
      {profile.faq.map((entry) => (
        <Question key={entry.id} id={`faq-${entry.position}`} question={entry.question[locale]}>
          {entry.answer[locale].split(/\n{2,}/).map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </Question>
      ))}
      <Question id="faq-support" question={t('faq.support.q')}>
        <p>{t('faq.support.a', { phone: phoneText(operator.supportPhone), email: operator.supportEmail })}</p>
      </Question>
    </Layout>
  );
}
