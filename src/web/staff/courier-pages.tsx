import type { CourierDelivery } from '../../app/back-office/courier-deliveries.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, ProblemSummary } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { DocumentTypeSelect } from './document-type-select.tsx';
import { StaffMenu } from './review-pages.tsx';

const addressText = (d: CourierDelivery) =>
  d.address
    ? [d.address.postcode, d.address.city, d.address.street, d.address.building, d.address.flat, d.address.comment]
        .filter(Boolean)
        .join(', ')
    : '';

export function CourierListPage({
  ctx,
  staff,
  deliveries,
  notice,
}: {
  ctx: PageContext;
  staff: StaffSession;
  deliveries: CourierDelivery[];
  notice: MessageKey | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('courier.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      {notice && (
        <div class="notice" role="status">
          <p>{t(notice)}</p>
        </div>
      )}
      <h1>{t('courier.title')}</h1>
      {deliveries.length === 0 ? (
        <p>{t('courier.empty')}</p>
      ) : (
        <ul class="lines">
          {deliveries.map((d) => (
            <li key={d.id} class="line-card">
              <h2 class="card-title">
                <a href={`/staff/courier/${d.id}`}>{d.reference}</a>
              </h2>
              <p>{addressText(d)}</p>
              <p>
                {d.contactName}
                {d.contactPhone && (
                  <>
                    {', '}
                    <a href={`tel:${d.contactPhone}`} class="nowrap">
                      {phoneText(d.contactPhone)}
                    </a>
                  </>
                )}
              </p>
              <p>{t('courier.window', { from: d.expectedFrom, to: d.expectedTo })}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export type DoorForm = { docType: string; lastDigits: string };

export function CourierDeliveryPage({
  ctx,
  staff,
  delivery,
  form,
  errors,
  problem,
}: {
  ctx: PageContext;
  staff: StaffSession;
  delivery: CourierDelivery;
  form: DoorForm;
  errors: FieldErrors;
  problem: MessageKey | null;
}) {
  const { t } = ctx;
  const csrf = staff.csrfToken;
  return (
    <Layout
      ctx={ctx}
      title={t('courier.delivery.title', { reference: delivery.reference })}
      hasErrors={problem !== null || Object.keys(errors).length > 0}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <ProblemSummary t={t} problem={problem} />
      <h1>{t('courier.delivery.title', { reference: delivery.reference })}</h1>
      <p>{addressText(delivery)}</p>
      <p>
        {delivery.contactName}
        {delivery.contactPhone && `, ${phoneText(delivery.contactPhone)}`}
      </p>
      <h2>{t('courier.check.title')}</h2>
      <p>{t('courier.check.lead')}</p>
      <form method="post" action={`/staff/courier/${delivery.id}/delivered`} novalidate>
        <CsrfField token={csrf} />
        <DocumentTypeSelect t={t} value={form.docType} errors={errors} />
        <Field
          t={t}
          name="lastDigits"
          label={t('courier.lastDigits')}
          hint={t('courier.lastDigits.hint')}
          inputmode="numeric"
          value={form.lastDigits}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('courier.delivered')}
        </button>
      </form>
      <h2>{t('courier.failed.title')}</h2>
      <div class="actions">
        <form method="post" action={`/staff/courier/${delivery.id}/not-home`}>
          <CsrfField token={csrf} />
          <button type="submit" class="button secondary">
            {t('courier.notHome')}
          </button>
        </form>
        <form method="post" action={`/staff/courier/${delivery.id}/refused`}>
          <CsrfField token={csrf} />
          <button type="submit" class="button secondary">
            {t('courier.refused')}
          </button>
        </form>
      </div>
      <p>
        <a href="/staff/courier">{t('courier.back')}</a>
      </p>
    </Layout>
  );
}
