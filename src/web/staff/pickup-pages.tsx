import type { Pickup } from '../../app/back-office/pickups.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { formatDateTime, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, ProblemSummary } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { DocumentTypeSelect } from './document-type-select.tsx';
import { StaffMenu } from './review-pages.tsx';

export function PickupListPage({
  ctx,
  staff,
  search,
  pickups,
}: {
  ctx: PageContext;
  staff: StaffSession;
  search: string;
  pickups: Pickup[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('pickup.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <h1>{t('pickup.title')}</h1>
      <form method="get" action="/staff/pickup">
        <div class="field">
          <label for="q">{t('pickup.search')}</label>
          <p class="hint" id="q-hint">
            {t('pickup.search.hint')}
          </p>
          <input id="q" name="q" type="search" value={search} aria-describedby="q-hint" />
        </div>
        <button type="submit" class="button secondary">
          {t('pickup.find')}
        </button>
      </form>
      {pickups.length === 0 ? (
        <p>{t(search ? 'pickup.none_found' : 'pickup.empty')}</p>
      ) : (
        <ul class="lines">
          {pickups.map((p) => (
            <li key={p.id} class="line-card">
              <h2 class="card-title">
                <a href={`/staff/pickup/${p.id}`}>{p.reference}</a>
              </h2>
              <dl>
                <dt>{t('review.col.number')}</dt>
                <dd class="nowrap">{phoneText(p.msisdn)}</dd>
                <dt>{t('review.account')}</dt>
                <dd>{p.accountName}</dd>
                {p.iccidEnd && (
                  <>
                    <dt>{t('pickup.card')}</dt>
                    <dd>…{p.iccidEnd}</dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export type HandOverForm = { docType: string; docNumber: string; iccid: string };

export function PickupPage({
  ctx,
  staff,
  pickup,
  form,
  errors,
  problem,
  now,
}: {
  ctx: PageContext;
  staff: StaffSession;
  pickup: Pickup;
  form: HandOverForm;
  errors: FieldErrors;
  problem: MessageKey | null;
  now: Date;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const held = pickup.holdUntil && pickup.holdUntil > now;
  return (
    <Layout
      ctx={ctx}
      title={t('pickup.handOver.title', { reference: pickup.reference })}
      hasErrors={Object.keys(errors).length > 0 || problem !== null}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <ProblemSummary t={t} problem={problem} />
      <h1>{t('pickup.handOver.title', { reference: pickup.reference })}</h1>
      <dl class="summary">
        <div class="summary-row">
          <dt>{t('review.account')}</dt>
          <dd>{pickup.accountName}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('review.col.number')}</dt>
          <dd class="nowrap">{phoneText(pickup.msisdn)}</dd>
        </div>
        {pickup.iccidEnd && (
          <div class="summary-row">
            <dt>{t('pickup.card')}</dt>
            <dd>…{pickup.iccidEnd}</dd>
          </div>
        )}
      </dl>
      {held && pickup.holdUntil && (
        <p class="tag warning">{t('pickup.held', { at: formatDateTime(locale, pickup.holdUntil, zone) })}</p>
      )}
      <p>{t('pickup.lead')}</p>
      <form method="post" action={`/staff/pickup/${pickup.id}`} novalidate>
        <CsrfField token={staff.csrfToken} />
        <DocumentTypeSelect t={t} value={form.docType} errors={errors} />
        <Field t={t} name="docNumber" label={t('wizard.identity.docNumber')} value={form.docNumber} errors={errors} />
        <Field
          t={t}
          name="iccid"
          label={t('pickup.iccid')}
          hint={t('pickup.iccid.hint')}
          inputmode="numeric"
          value={form.iccid}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('pickup.handOver')}
        </button>
      </form>
      <p>
        <a href="/staff/pickup">{t('pickup.back')}</a>
      </p>
    </Layout>
  );
}

export function PickupDonePage({
  ctx,
  staff,
  msisdn,
  activated,
}: {
  ctx: PageContext;
  staff: StaffSession;
  msisdn: string;
  activated: boolean;
}) {
  const { t } = ctx;
  const title = t(activated ? 'pickup.done.title' : 'pickup.handedOver.title');
  return (
    <Layout ctx={ctx} title={title} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <div class="notice" role="status">
        <h1>{title}</h1>
        <p>{t(activated ? 'pickup.done.body' : 'pickup.handedOver.body', { number: phoneText(msisdn) })}</p>
      </div>
      <p>
        <a href="/staff/pickup">{t('pickup.back')}</a>
      </p>
    </Layout>
  );
}
