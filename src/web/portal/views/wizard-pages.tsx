import type { ComponentChildren } from 'preact';
import type { SavedDocument } from '../../../app/documents/identity-document.ts';
import type { DeliveryZone } from '../../../app/operators/operator-profile.ts';
import type { serviceCenters } from '../../../db/schema/centers.ts';
import type { FeeQuote } from '../../../domain/fees.ts';
import { formatMsisdn } from '../../../domain/msisdn.ts';
import type { Reason, SimType } from '../../../domain/replacement.ts';
import type { DraftAnswers, WizardStep } from '../../../domain/replacement-wizard.ts';
import { formatList, formatMoney } from '../../../i18n/translate.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, Radios } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';
import { DocumentFields } from './document-fields.tsx';

export type Center = typeof serviceCenters.$inferSelect;

export type WizardView = {
  ctx: PageContext;
  requestId: string;
  msisdn: string;
  answers: DraftAnswers;
  /** What the subscriber sent on a refused submit, shown again instead of the stored answers. */
  input: Record<string, string>;
  errors: FieldErrors;
  csrf: string;
  back: string;
  /** Came from "Check your answers": continue goes back there. */
  fromCheck: boolean;
};

const stepUrl = (requestId: string, step: WizardStep | 'check') => `/requests/${requestId}/${step}`;

function QuestionPage({
  view,
  step,
  title,
  legendIsTitle = false,
  multipart = false,
  children,
}: {
  view: WizardView;
  step: WizardStep;
  title: string;
  legendIsTitle?: boolean;
  multipart?: boolean;
  children: ComponentChildren;
}) {
  const { ctx, errors } = view;
  const { t } = ctx;
  const action = `${stepUrl(view.requestId, step)}${view.fromCheck ? '?from=check' : ''}`;
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <a class="back" href={view.back}>
        {t('wizard.back')}
      </a>
      <ErrorSummary t={t} errors={errors} />
      <p class="caption">{t('wizard.caption', { number: phoneText(view.msisdn) })}</p>
      {!legendIsTitle && <h1>{title}</h1>}
      <form method="post" action={action} novalidate enctype={multipart ? 'multipart/form-data' : undefined}>
        <CsrfField token={view.csrf} />
        {children}
        <button type="submit" class="button">
          {t('wizard.continue')}
        </button>
      </form>
      <p>
        <a href="/account">{t('wizard.saveAndLeave')}</a>
      </p>
    </Layout>
  );
}

const value = (view: WizardView, name: string, stored: string | null | undefined) => view.input[name] ?? stored ?? '';

type Option = { value: string; label: string; hint?: string };

/** A page asking one question with radio buttons; the question is the page's heading. */
function RadioQuestion({
  view,
  step,
  name,
  title,
  stored,
  options,
}: {
  view: WizardView;
  step: WizardStep;
  name: string;
  title: string;
  stored: string | null;
  options: Option[];
}) {
  return (
    <QuestionPage view={view} step={step} title={title} legendIsTitle>
      <Radios
        t={view.ctx.t}
        name={name}
        legend={title}
        heading
        value={value(view, name, stored)}
        errors={view.errors}
        options={options}
      />
    </QuestionPage>
  );
}

export function ReasonPage({ view, reasons }: { view: WizardView; reasons: Reason[] }) {
  const { t } = view.ctx;
  return (
    <RadioQuestion
      view={view}
      step="reason"
      name="reason"
      title={t('wizard.reason.title')}
      stored={view.answers.reason}
      options={reasons.map((r) => ({ value: r, label: t(`reason.${r}`), hint: t(`reason.${r}.hint`) }))}
    />
  );
}

export function SimTypePage({ view, simTypes }: { view: WizardView; simTypes: SimType[] }) {
  const { t } = view.ctx;
  return (
    <RadioQuestion
      view={view}
      step="sim-type"
      name="simType"
      title={t('wizard.simType.title')}
      stored={view.answers.simType}
      options={simTypes.map((s) => ({ value: s, label: t(`simType.${s}`), hint: t(`simType.${s}.hint`) }))}
    />
  );
}

export function DeliveryPage({ view, zones, pickup }: { view: WizardView; zones: DeliveryZone[]; pickup: boolean }) {
  const { t, locale } = view.ctx;
  const title = t('wizard.delivery.title');
  const currency = view.ctx.operator?.currency ?? 'RUB';
  const money = (minor: number) => (minor === 0 ? t('wizard.free') : formatMoney(locale, minor, currency));
  const windows = zones.map((z) =>
    t('wizard.delivery.zone', { zone: z.name[locale], min: z.minDays, max: z.maxDays, fee: money(z.courierFeeMinor) }),
  );
  const options = [
    ...(zones.length > 0
      ? [
          {
            value: 'courier',
            label: t('wizard.delivery.courierToAddress'),
            hint: t('wizard.delivery.courierZones', { zones: formatList(locale, windows) }),
          },
        ]
      : []),
    ...(pickup
      ? [{ value: 'pickup', label: t('wizard.delivery.pickup'), hint: t('wizard.delivery.pickup.hint') }]
      : []),
  ];
  return (
    <RadioQuestion
      view={view}
      step="delivery"
      name="delivery"
      title={title}
      stored={view.answers.delivery}
      options={options}
    />
  );
}

export function CenterPage({ view, centers }: { view: WizardView; centers: Center[] }) {
  const { t, locale } = view.ctx;
  return (
    <RadioQuestion
      view={view}
      step="center"
      name="centerId"
      title={t('wizard.center.title')}
      stored={view.answers.centerId}
      options={centers.map((c) => ({
        value: c.id,
        label: `${c.city[locale]}: ${c.name[locale]}`,
        hint: `${c.address[locale]}, ${phoneText(c.phone)}`,
      }))}
    />
  );
}

export function ContactPage({ view }: { view: WizardView }) {
  const { t } = view.ctx;
  const { answers } = view;
  const address = answers.deliveryAddress;
  const field = (name: string, stored: string | null | undefined) => ({
    t,
    name,
    errors: view.errors,
    value: value(view, name, stored),
  });
  return (
    <QuestionPage view={view} step="contact" title={t('wizard.contact.title')}>
      <Field
        {...field('contactName', answers.contactName)}
        label={t('wizard.contact.name')}
        hint={t('wizard.contact.name.hint')}
        autocomplete="name"
      />
      <Field
        {...field('contactPhone', answers.contactPhone && formatMsisdn(answers.contactPhone))}
        label={t('wizard.contact.phone')}
        hint={t('wizard.contact.phone.hint')}
        type="tel"
        autocomplete="tel"
        inputmode="tel"
      />
      <Field
        {...field('contactEmail', answers.contactEmail)}
        label={t('wizard.contact.email')}
        type="email"
        autocomplete="email"
      />
      {answers.delivery === 'courier' && (
        <fieldset class="field">
          <legend>{t('wizard.address.title')}</legend>
          <Field {...field('city', address?.city)} label={t('wizard.address.city')} autocomplete="address-level2" />
          <Field
            {...field('street', address?.street)}
            label={t('wizard.address.street')}
            autocomplete="address-line1"
          />
          <Field {...field('building', address?.building)} label={t('wizard.address.building')} />
          <Field {...field('flat', address?.flat)} label={t('wizard.address.flat')} autocomplete="address-line2" />
          <Field
            {...field('postcode', address?.postcode)}
            label={t('wizard.address.postcode')}
            autocomplete="postal-code"
            inputmode="numeric"
          />
          <Field
            {...field('comment', address?.comment)}
            label={t('wizard.address.comment')}
            hint={t('wizard.address.comment.hint')}
          />
        </fieldset>
      )}
    </QuestionPage>
  );
}

export function IdentityPage({
  view,
  saved,
  maxMegabytes,
}: {
  view: WizardView;
  saved: SavedDocument | null;
  maxMegabytes: number;
}) {
  const { t } = view.ctx;
  return (
    <QuestionPage view={view} step="identity" title={t('wizard.identity.title')} multipart>
      <p>{t('wizard.identity.lead')}</p>
      <DocumentFields
        t={t}
        errors={view.errors}
        docType={value(view, 'docType', saved?.docType)}
        docNumber={value(view, 'docNumber', saved?.docNumber)}
        maxMegabytes={maxMegabytes}
        kept={saved?.uploaded ?? false}
      />
    </QuestionPage>
  );
}

export type CheckRow = { step: WizardStep; label: string; value: string };

export function CheckPage({
  view,
  rows,
  quote,
  currency,
  problem,
}: {
  view: WizardView;
  rows: CheckRow[];
  quote: FeeQuote | null;
  currency: string;
  problem: string | null;
}) {
  const { ctx, requestId } = view;
  const { t, locale } = ctx;
  const title = t('wizard.check.title');
  return (
    <Layout ctx={ctx} title={title}>
      <a class="back" href={view.back}>
        {t('wizard.back')}
      </a>
      {problem && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{problem}</p>
        </div>
      )}
      <p class="caption">{t('wizard.caption', { number: phoneText(view.msisdn) })}</p>
      <h1>{title}</h1>
      <dl class="summary">
        {rows.map((r) => (
          <div class="summary-row" key={r.step + r.label}>
            <dt>{r.label}</dt>
            <dd>{r.value}</dd>
            <dd>
              <a href={`${stepUrl(requestId, r.step)}?from=check`}>
                {t('wizard.check.change')}
                <span class="visually-hidden"> {r.label}</span>
              </a>
            </dd>
          </div>
        ))}
      </dl>
      <h2>{t('wizard.fee.title')}</h2>
      {quote && (
        <>
          <ul>
            {quote.items.map((item) => (
              <li key={item.kind}>
                {item.kind === 'replacement'
                  ? t(item.waived ? 'wizard.fee.waived' : 'wizard.fee.replacement', {
                      fee: formatMoney(locale, item.amountMinor, currency),
                    })
                  : t('wizard.fee.delivery', { fee: formatMoney(locale, item.amountMinor, currency) })}
              </li>
            ))}
          </ul>
          <p>
            <strong>
              {quote.totalMinor === 0
                ? t('wizard.fee.totalFree')
                : t('wizard.fee.total', { fee: formatMoney(locale, quote.totalMinor, currency) })}
            </strong>
          </p>
        </>
      )}
      <h2>{t('wizard.declaration.title')}</h2>
      <p>{t('wizard.declaration.body')}</p>
      <form method="post" action={`/requests/${requestId}/submit`}>
        <CsrfField token={view.csrf} />
        <button type="submit" class="button">
          {t(quote && quote.totalMinor > 0 ? 'wizard.submitAndPay' : 'wizard.submit')}
        </button>
      </form>
    </Layout>
  );
}

export function IneligiblePage({ ctx, reason, until }: { ctx: PageContext; reason: string; until: string | null }) {
  const { t } = ctx;
  const title = t('eligibility.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t(`${reason as 'eligibility.locked'}`, { until: until ?? '' })}</p>
      <p>{t('eligibility.center')}</p>
      <p>
        <a href="/account">{t('wizard.toAccount')}</a>
      </p>
    </Layout>
  );
}
