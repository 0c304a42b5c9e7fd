import type { FeeRuleRow } from '../../app/admin/fee-table.ts';
import type { ZoneRow } from '../../app/admin/zone-settings.ts';
import type { ServiceCenter } from '../../app/operators/operator-profile.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { ONLINE_REPLACEMENT_POLICIES } from '../../db/schema/operators.ts';
import { CHANNELS, DELIVERIES, REASONS, SIM_TYPES } from '../../domain/replacement.ts';
import { formatMoney, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';
import { Check, Choice, Input, TextArea } from './settings-controls.tsx';

export type Values = Record<string, string>;
export type Page = { ctx: PageContext; staff: StaffSession; errors: FieldErrors; saved: MessageKey | null };

/** A settings page: its sections' links, the outcome of the last save, and every problem of the form. */
export function SettingsLayout({
  ctx,
  staff,
  errors,
  saved,
  title,
  children,
}: Page & { title: string; children: unknown }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={title}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      {saved && (
        <div class="notice" role="status">
          <p>{t(saved)}</p>
        </div>
      )}
      <nav aria-label={t('admin.sections')} class="actions">
        <a href="/staff/settings">{t('admin.policies.title')}</a>
        <a href="/staff/settings/fees">{t('admin.fees.title')}</a>
        <a href="/staff/settings/zones">{t('admin.zones.title')}</a>
        <a href="/staff/settings/centers">{t('admin.centers.title')}</a>
        <a href="/staff/settings/faq">{t('admin.faq.title')}</a>
        <a href="/staff/team">{t('admin.team.title')}</a>
      </nav>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

const NUMBER_POLICIES = [
  ['coolingOffHours', '0–720'],
  ['lockReleaseHours', '0–720'],
  ['swapHoldMinutes', '0–1440'],
  ['fourEyesRiskThreshold', '0–100'],
  ['documentRetentionDays', '1–3650'],
  ['simSwapMonitoredDays', '1–3650'],
  ['slaHours', '1–2000'],
  ['activeVisitsCap', '1–20'],
  ['visitSmsPerHour', '1–100000'],
  ['visitSmsPerDay', '1–1000000'],
] as const;
const FLAG_POLICIES = ['courierPassportCheck', 'pickupActivatesAtCounter', 'esimEnabled'] as const;

export function PoliciesPage(page: Page & { values: Values }) {
  const { ctx, staff, errors, values } = page;
  const { t } = ctx;
  return (
    <SettingsLayout {...page} title={t('admin.policies.title')}>
      <form method="post" action="/staff/settings" novalidate>
        <CsrfField token={staff.csrfToken} />
        <Choice
          ctx={ctx}
          name="onlineReplacement"
          label={t('admin.policy.onlineReplacement')}
          errors={errors}
          value={values.onlineReplacement ?? ''}
          options={ONLINE_REPLACEMENT_POLICIES.map((p) => [p, t(`admin.online.${p}`)])}
        />
        {NUMBER_POLICIES.map(([name, range]) => (
          <Input
            key={name}
            ctx={ctx}
            name={name}
            label={t(`admin.policy.${name}`)}
            hint={t('admin.range', { range })}
            errors={errors}
            value={values[name] ?? ''}
            numeric
          />
        ))}
        {FLAG_POLICIES.map((name) => (
          <Check
            key={name}
            ctx={ctx}
            name={name}
            label={t(`admin.policy.${name}`)}
            errors={errors}
            checked={values[name] === 'on'}
          />
        ))}
        <Input
          ctx={ctx}
          name="smsCountries"
          label={t('admin.policy.smsCountries')}
          hint={t('admin.policy.smsCountries.hint', { country: ctx.operator?.countryCode ?? 'RU' })}
          errors={errors}
          value={values.smsCountries ?? ''}
        />
        <Input
          ctx={ctx}
          name="supportPhone"
          label={t('admin.policy.supportPhone')}
          errors={errors}
          value={values.supportPhone ?? ''}
        />
        <Input
          ctx={ctx}
          name="supportEmail"
          label={t('admin.policy.supportEmail')}
          errors={errors}
          value={values.supportEmail ?? ''}
        />
        <button type="submit" class="button">
          {t('admin.save')}
        </button>
      </form>
    </SettingsLayout>
  );
}

export function FeesPage(page: Page & { rules: FeeRuleRow[]; values: Values }) {
  const { ctx, staff, errors, values, rules } = page;
  const { t, locale } = ctx;
  const currency = ctx.operator?.currency ?? 'RUB';
  const any = t('admin.fees.any');
  const criteria = [
    ['reason', REASONS, (v: string) => t(`reason.${v}` as MessageKey)],
    ['simType', SIM_TYPES, (v: string) => t(`simType.${v}` as MessageKey)],
    ['channel', CHANNELS, (v: string) => t(`channel.${v}` as MessageKey)],
    ['delivery', DELIVERIES, (v: string) => t(`delivery.${v}` as MessageKey)],
  ] as const;
  return (
    <SettingsLayout {...page} title={t('admin.fees.title')}>
      <p>{t('admin.fees.lead')}</p>
      <section class="table-scroll" aria-label={t('admin.fees.title')} tabindex={0}>
        <table class="table">
          <caption>{t('admin.fees.title')}</caption>
          <thead>
            <tr>
              {criteria.map(([name]) => (
                <th key={name} scope="col">
                  {t(`admin.fees.${name}`)}
                </th>
              ))}
              <th scope="col">{t('admin.fees.amount')}</th>
              <th scope="col">{t('admin.fees.freeIfFirstWithinMonths')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('admin.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id}>
                {criteria.map(([name, , label]) => (
                  <td key={name}>{rule[name] ? label(rule[name] as string) : any}</td>
                ))}
                <td class="nowrap">{formatMoney(locale, rule.amountMinor, currency)}</td>
                <td>{rule.freeIfFirstWithinMonths ?? '—'}</td>
                <td>
                  <form method="post" action={`/staff/settings/fees/${rule.id}/delete`}>
                    <CsrfField token={staff.csrfToken} />
                    <button type="submit" class="button secondary">
                      {t('admin.remove')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <h2>{t('admin.fees.add')}</h2>
      <form method="post" action="/staff/settings/fees" novalidate>
        <CsrfField token={staff.csrfToken} />
        {criteria.map(([name, options, label]) => (
          <Choice
            key={name}
            ctx={ctx}
            name={name}
            label={t(`admin.fees.${name}`)}
            errors={errors}
            value={values[name] ?? ''}
            options={[['', any], ...options.map((o): [string, string] => [o, label(o)])]}
          />
        ))}
        <Input
          ctx={ctx}
          name="amount"
          label={t('admin.fees.amount')}
          hint={currency}
          errors={errors}
          value={values.amount ?? ''}
          numeric
        />
        <Input
          ctx={ctx}
          name="freeIfFirstWithinMonths"
          label={t('admin.fees.freeIfFirstWithinMonths')}
          hint={t('admin.fees.freeHint')}
          errors={errors}
          value={values.freeIfFirstWithinMonths ?? ''}
          numeric
        />
        <button type="submit" class="button">
          {t('admin.fees.add')}
        </button>
      </form>
    </SettingsLayout>
  );
}

const NEW_CENTER_FIELDS = [
  'code',
  'cityKey',
  'nameRu',
  'nameEn',
  'nameZh',
  'cityRu',
  'cityEn',
  'cityZh',
  'addressRu',
  'addressEn',
  'addressZh',
  'latitude',
  'longitude',
  'timeZone',
  'phone',
] as const;

export function CentersPage(page: Page & { centers: ServiceCenter[]; values: Values }) {
  const { ctx, centers, staff, errors, values } = page;
  const { t, locale } = ctx;
  return (
    <SettingsLayout {...page} title={t('admin.centers.title')}>
      <ul class="lines">
        {centers.map((c) => (
          <li key={c.id} class="line-card">
            <h2 class="card-title">
              <a href={`/staff/settings/centers/${c.id}`}>
                {c.code} · {c.name[locale] ?? c.name.ru}
              </a>
            </h2>
            <p>{c.active ? t('admin.centers.open') : t('admin.centers.closed')}</p>
          </li>
        ))}
      </ul>
      <h2>{t('admin.centers.add')}</h2>
      <p>{t('admin.centers.addLead')}</p>
      <form method="post" action="/staff/settings/centers" novalidate>
        <CsrfField token={staff.csrfToken} />
        {NEW_CENTER_FIELDS.map((name) => (
          <Input
            key={name}
            ctx={ctx}
            name={name}
            label={t(`admin.centers.field.${name}`)}
            errors={errors}
            value={values[name] ?? (name === 'timeZone' ? (ctx.operator?.timeZone ?? '') : '')}
          />
        ))}
        <button type="submit" class="button">
          {t('admin.centers.add')}
        </button>
      </form>
    </SettingsLayout>
  );
}

export function CenterPage(page: Page & { centerId: string; title: string; values: Values }) {
  const { ctx, staff, errors, values, centerId } = page;
  const { t } = ctx;
  return (
    <SettingsLayout {...page} title={page.title}>
      <form method="post" action={`/staff/settings/centers/${centerId}`} novalidate>
        <CsrfField token={staff.csrfToken} />
        <Input ctx={ctx} name="phone" label={t('admin.centers.phone')} errors={errors} value={values.phone ?? ''} />
        <Input
          ctx={ctx}
          name="slotMinutes"
          label={t('admin.centers.slotMinutes')}
          hint={t('admin.range', { range: '5–240' })}
          errors={errors}
          value={values.slotMinutes ?? ''}
          numeric
        />
        <Input
          ctx={ctx}
          name="slotCapacity"
          label={t('admin.centers.slotCapacity')}
          hint={t('admin.range', { range: '0–50' })}
          errors={errors}
          value={values.slotCapacity ?? ''}
          numeric
        />
        <Input
          ctx={ctx}
          name="lowStockThreshold"
          label={t('admin.centers.lowStockThreshold')}
          hint={t('admin.range', { range: '0–10000' })}
          errors={errors}
          value={values.lowStockThreshold ?? ''}
          numeric
        />
        <Check
          ctx={ctx}
          name="active"
          label={t('admin.centers.active')}
          errors={errors}
          checked={values.active === 'on'}
        />
        <fieldset class="field">
          <legend>{t('admin.centers.hours')}</legend>
          <p class="hint">{t('admin.centers.hoursHint')}</p>
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <Input
              key={d}
              ctx={ctx}
              name={`hours${d}`}
              label={t(`weekday.${d}` as MessageKey)}
              errors={errors}
              value={values[`hours${d}`] ?? ''}
            />
          ))}
        </fieldset>
        <TextArea
          ctx={ctx}
          name="exceptions"
          label={t('admin.centers.exceptions')}
          hint={t('admin.centers.exceptionsHint')}
          errors={errors}
          value={values.exceptions ?? ''}
        />
        <button type="submit" class="button">
          {t('admin.save')}
        </button>
      </form>
    </SettingsLayout>
  );
}

/** Courier zones: each one's window, price, cities and postcodes, in its own form; a refused form keeps what was typed. */
export function ZonesPage(page: Page & { zones: ZoneRow[]; typed: { zoneId: string; values: Values } | null }) {
  const { ctx, staff, errors, zones, typed } = page;
  const { t, locale } = ctx;
  return (
    <SettingsLayout {...page} title={t('admin.zones.title')}>
      <p>{t('admin.zones.lead')}</p>
      {zones.map((zone) => {
        const mine = typed?.zoneId === zone.id;
        const values: Values = mine
          ? (typed?.values ?? {})
          : {
              minDays: String(zone.minDays),
              maxDays: String(zone.maxDays),
              courierFee: (zone.courierFeeMinor / 100).toFixed(2),
              cities: zone.cities.join(', '),
              postcodePrefixes: zone.postcodePrefixes.join(', '),
            };
        const shownErrors = mine ? errors : {};
        const id = (name: string) => `${name}-${zone.code}`;
        const field = (name: string, label: string, hint?: string, numeric = false) => (
          <Input
            ctx={ctx}
            name={name}
            label={label}
            hint={hint}
            errors={shownErrors}
            value={values[name] ?? ''}
            numeric={numeric}
            id={id(name)}
          />
        );
        return (
          <section key={zone.id} class="line-card" aria-labelledby={`zone-${zone.code}`}>
            <h2 id={`zone-${zone.code}`} class="card-title">
              {zone.name[locale] ?? zone.name.ru} {zone.isDefault && `(${t('admin.zones.default')})`}
            </h2>
            <form method="post" action={`/staff/settings/zones/${zone.id}`} novalidate>
              <CsrfField token={staff.csrfToken} />
              {field('minDays', t('admin.zones.minDays'), t('admin.range', { range: '1–60' }), true)}
              {field('maxDays', t('admin.zones.maxDays'), t('admin.range', { range: '1–60' }), true)}
              {field('courierFee', t('admin.zones.fee'), ctx.operator?.currency, true)}
              {field('cities', t('admin.zones.cities'), t('admin.zones.citiesHint'))}
              {field('postcodePrefixes', t('admin.zones.postcodes'), t('admin.zones.postcodesHint'))}
              <button type="submit" class="button secondary">
                {t('admin.save')}
              </button>
            </form>
          </section>
        );
      })}
    </SettingsLayout>
  );
}
