import type { QueueCursor, QueueFilters, QueueRow, ReviewCase } from '../../app/back-office/review-queue.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { CHANNELS, DELIVERIES, REASONS } from '../../domain/replacement.ts';
import { formatDateTime, formatMoney, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { Timeline } from '../shared/timeline.tsx';

/** The staff menu of a signed-in staff member: the sections their roles open. */
export function StaffMenu({ ctx, staff }: { ctx: PageContext; staff: StaffSession }) {
  const { t } = ctx;
  const has = (role: StaffSession['roles'][number]) => staff.roles.includes(role) || staff.roles.includes('admin');
  return (
    <>
      <a href="/staff/home">{t('staff.nav.home')}</a>
      {has('reviewer') && <a href="/staff/review">{t('staff.nav.review')}</a>}
      {has('reviewer') && <a href="/staff/frozen">{t('staff.nav.frozen')}</a>}
      {has('logistics') && <a href="/staff/logistics">{t('staff.nav.logistics')}</a>}
      {has('logistics') && <a href="/staff/inventory">{t('staff.nav.inventory')}</a>}
      {has('store_agent') && <a href="/staff/counter">{t('staff.nav.counter')}</a>}
      {has('store_agent') && <a href="/staff/pickup">{t('staff.nav.pickup')}</a>}
      {has('courier') && <a href="/staff/courier">{t('staff.nav.courier')}</a>}
      {has('reviewer') && <a href="/staff/reports">{t('staff.nav.reports')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/audit">{t('staff.nav.audit')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/network">{t('staff.nav.network')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/partners">{t('staff.nav.partners')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/refunds">{t('staff.nav.refunds')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/settings">{t('staff.nav.settings')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/api-clients">{t('staff.nav.apiClients')}</a>}
      {staff.roles.includes('admin') && <a href="/staff/webhooks">{t('staff.nav.webhooks')}</a>}
      {staff.roles.includes('platform_admin') && <a href="/staff/platform">{t('staff.nav.platform')}</a>}
    </>
  );
}

/** The same filters, from where this page ends. */
const nextQuery = (filters: QueueFilters, next: QueueCursor) => {
  const { after: _after, ...kept } = filters;
  const query = new URLSearchParams(Object.entries(kept).map(([k, v]) => [k, String(v)]));
  query.set('after', `${next.submittedAt.toISOString()}_${next.id}`);
  return query.toString();
};

const hoursWaiting = (submittedAt: Date | null, now: Date) =>
  submittedAt ? Math.floor((now.getTime() - submittedAt.getTime()) / 3_600_000) : 0;

function Select({
  ctx,
  name,
  label,
  value,
  options,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
}) {
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <select id={name} name={name}>
        <option value="">{ctx.t('review.filter.any')}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ReviewQueuePage({
  ctx,
  staff,
  rows,
  filters,
  now,
  next,
}: {
  ctx: PageContext;
  staff: StaffSession;
  rows: QueueRow[];
  filters: QueueFilters;
  now: Date;
  /** Where the next page starts, when the queue goes on. */
  next: QueueCursor | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('review.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <h1>{t('review.title')}</h1>
      <form method="get" action="/staff/review" class="filters">
        <Select
          ctx={ctx}
          name="reason"
          label={t('review.col.reason')}
          value={filters.reason}
          options={REASONS.map((r) => [r, t(`reason.${r}`)])}
        />
        <Select
          ctx={ctx}
          name="delivery"
          label={t('review.col.delivery')}
          value={filters.delivery}
          options={DELIVERIES.map((d) => [d, t(`delivery.${d}`)])}
        />
        <Select
          ctx={ctx}
          name="channel"
          label={t('review.col.channel')}
          value={filters.channel}
          options={CHANNELS.map((c) => [c, t(`channel.${c}`)])}
        />
        <Select
          ctx={ctx}
          name="risk"
          label={t('review.col.risk')}
          value={filters.risk}
          options={[
            ['high', t('review.risk.high')],
            ['normal', t('review.risk.normal')],
          ]}
        />
        <div class="field">
          <label for="olderThanHours">{t('review.filter.olderThan')}</label>
          <input
            id="olderThanHours"
            name="olderThanHours"
            type="number"
            min="0"
            inputMode="numeric"
            value={filters.olderThanHours?.toString() ?? ''}
          />
        </div>
        <button type="submit" class="button secondary">
          {t('review.filter.apply')}
        </button>
      </form>
      {rows.length === 0 ? (
        <p>{t('review.empty')}</p>
      ) : (
        <ul class="lines">
          {rows.map((row) => (
            <li key={row.id} class="line-card">
              <h2 class="card-title">
                <a href={`/staff/review/${row.id}`}>{row.reference}</a>
              </h2>
              {row.highRisk && <p class="tag warning">{t('review.highRisk')}</p>}
              <dl>
                <dt>{t('review.col.number')}</dt>
                <dd class="nowrap">{phoneText(row.msisdn)}</dd>
                <dt>{t('review.col.reason')}</dt>
                <dd>{row.reason ? t(`reason.${row.reason}`) : '—'}</dd>
                <dt>{t('review.col.delivery')}</dt>
                <dd>{row.delivery ? t(`delivery.${row.delivery}`) : '—'}</dd>
                <dt>{t('review.col.channel')}</dt>
                <dd>{t(`channel.${row.channel}`)}</dd>
                <dt>{t('review.col.risk')}</dt>
                <dd>{row.riskScore}</dd>
                <dt>{t('review.col.waiting')}</dt>
                <dd>{t('review.hours', { hours: hoursWaiting(row.submittedAt, now) })}</dd>
              </dl>
              {row.status === 'second_review' && <p>{t('review.secondReview')}</p>}
            </li>
          ))}
        </ul>
      )}
      {next && (
        <p>
          <a href={`/staff/review?${nextQuery(filters, next)}`}>{t('review.nextPage')}</a>
        </p>
      )}
    </Layout>
  );
}

export type ReviewOutcome = MessageKey | null;

export function ReviewCasePage({
  ctx,
  staff,
  found,
  outcome,
  errors,
  typed,
  now,
}: {
  ctx: PageContext;
  staff: StaffSession;
  found: ReviewCase;
  outcome: ReviewOutcome;
  errors: FieldErrors;
  typed: { reason?: string; note?: string };
  now: Date;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const { request } = found;
  const open = request.status === 'in_review' || request.status === 'second_review';
  const address = request.deliveryAddress;
  const held = request.status === 'approved' && request.holdUntil && request.holdUntil > now;
  return (
    <Layout
      ctx={ctx}
      title={t('review.case.title', { reference: request.reference })}
      hasErrors={Object.keys(errors).length > 0}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      {outcome && (
        <div class="notice" role="status">
          <p>{t(outcome)}</p>
        </div>
      )}
      <h1>{t('review.case.title', { reference: request.reference })}</h1>
      <p>
        {t('review.case.status')}: <strong>{t(`staffStatus.${request.status}`)}</strong>
      </p>
      {held && request.holdUntil && (
        <p>
          {t('review.hold', {
            at: formatDateTime(locale, request.holdUntil, zone),
            minutes: Math.ceil((request.holdUntil.getTime() - now.getTime()) / 60_000),
          })}
        </p>
      )}
      <h2>{t('review.subscriber')}</h2>
      <dl class="summary">
        <div class="summary-row">
          <dt>{t('review.account')}</dt>
          <dd>{found.accountName}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('review.col.number')}</dt>
          <dd class="nowrap">{phoneText(found.msisdn)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('review.contact')}</dt>
          <dd>
            {[request.contactName, request.contactPhone && phoneText(request.contactPhone), request.contactEmail]
              .filter(Boolean)
              .join(', ')}
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('review.answers')}</dt>
          <dd>
            {[
              request.reason && t(`reason.${request.reason}`),
              request.simType && t(`simType.${request.simType}`),
              request.delivery && t(`delivery.${request.delivery}`),
              t(`channel.${request.channel}`),
            ]
              .filter(Boolean)
              .join(' · ')}
          </dd>
        </div>
        {address && (
          <div class="summary-row">
            <dt>{t('review.address')}</dt>
            <dd>
              {[address.postcode, address.city, address.street, address.building, address.flat, address.comment]
                .filter(Boolean)
                .join(', ')}
            </dd>
          </div>
        )}
        <div class="summary-row">
          <dt>{t('review.fee')}</dt>
          <dd>
            {formatMoney(locale, request.feeMinor, request.currency)}
            {request.paidAt ? ` (${t('review.paid')})` : ''}
          </dd>
        </div>
      </dl>
      <h2>{t('review.risk.title', { score: request.riskScore })}</h2>
      {request.riskScore >= found.threshold && <p class="tag warning">{t('review.highRisk')}</p>}
      {found.signals.length === 0 ? (
        <p>{t('review.risk.none')}</p>
      ) : (
        <ul>
          {found.signals.map((signal) => (
            <li key={signal}>{t(`risk.signal.${signal}`)}</li>
          ))}
        </ul>
      )}
      <h2>{t('review.document.title')}</h2>
      {found.document ? (
        <>
          <p>
            {t(`document.${found.document.docType}` as MessageKey)}: <strong>{found.document.docNumber}</strong>
          </p>
          {found.document.hasScan ? (
            <img class="scan" src={`/staff/review/${request.id}/document`} alt={t('review.document.alt')} />
          ) : (
            <p>{t('review.document.noScan')}</p>
          )}
        </>
      ) : (
        <p>{t('review.document.none')}</p>
      )}
      <h2>{t('status.timeline')}</h2>
      <Timeline ctx={ctx} events={found.events} />
      {open && (
        <>
          <h2>{t('review.decide')}</h2>
          <form method="post" action={`/staff/review/${request.id}/approve`}>
            <CsrfField token={staff.csrfToken} />
            <button type="submit" class="button">
              {t('review.approve')}
            </button>
          </form>
          <form method="post" action={`/staff/review/${request.id}/reject`} novalidate>
            <CsrfField token={staff.csrfToken} />
            <TextArea ctx={ctx} name="reason" label={t('review.reject.reason')} value={typed.reason} errors={errors} />
            <button type="submit" class="button warning">
              {t('review.reject')}
            </button>
          </form>
          <form method="post" action={`/staff/review/${request.id}/request-info`} novalidate>
            <CsrfField token={staff.csrfToken} />
            <TextArea ctx={ctx} name="note" label={t('review.info.note')} value={typed.note} errors={errors} />
            <button type="submit" class="button secondary">
              {t('review.info')}
            </button>
          </form>
        </>
      )}
      <p>
        <a href="/staff/review">{t('review.back')}</a>
      </p>
    </Layout>
  );
}

function TextArea({
  ctx,
  name,
  label,
  value,
  errors,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string | undefined;
  errors: FieldErrors;
}) {
  const error = errors[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
      {error && (
        <p class="error" id={`${name}-error`}>
          {ctx.t(error)}
        </p>
      )}
      <textarea
        id={name}
        name={name}
        rows={3}
        aria-describedby={error ? `${name}-error` : undefined}
        aria-invalid={error ? 'true' : undefined}
      >
        {value ?? ''}
      </textarea>
    </div>
  );
}
