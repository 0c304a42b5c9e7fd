import type { OpenTransfer } from '../../app/back-office/transfers.ts';
import type { CounterCenterChoice } from '../../app/counter/counter-center.ts';
import type { CounterCase, CounterLine } from '../../app/counter/counter-views.ts';
import type { CounterRefund } from '../../app/payments/counter-refunds.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { REASONS, SIM_TYPES } from '../../domain/replacement.ts';
import { formatDateTime, formatMoney, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, ProblemSummary, Radios } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { DocumentTypeSelect } from './document-type-select.tsx';
import { StaffMenu } from './review-pages.tsx';
import { TransferList } from './stock-pages.tsx';

type Frame = { ctx: PageContext; staff: StaffSession };

/** The counter's first screen: the number in any format, or the ticket of a booked visit. */
export function CounterSearchPage({
  ctx,
  staff,
  query,
  problem,
  incoming,
  received,
  centers,
  refunds,
  refunded,
}: Frame & {
  query: string;
  problem: MessageKey | null;
  incoming: OpenTransfer[];
  received: number | null;
  refunds: CounterRefund[];
  refunded: boolean;
  /** The centers an administrator without one of their own chooses from; null for everyone else. */
  centers: CounterCenterChoice[] | null;
}) {
  const { t, locale } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('counter.title')}
      hasErrors={problem !== null}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ProblemSummary t={t} problem={problem} />
      <h1>{t('counter.title')}</h1>
      {received !== null && (
        <p class="callout" role="status">
          {t('transfer.received', { n: received })}
        </p>
      )}
      {centers && (
        <section aria-labelledby="center-heading">
          <h2 id="center-heading">{t('counter.center.title')}</h2>
          <p>{staff.centerId ? t('counter.center.chosen') : t('counter.center.lead')}</p>
          <form method="post" action="/staff/counter/center">
            <CsrfField token={staff.csrfToken} />
            <div class="field">
              <label for="centerId">{t('counter.center.label')}</label>
              <select id="centerId" name="centerId">
                {centers.map((c) => (
                  <option key={c.id} value={c.id} selected={c.id === staff.centerId}>
                    {c.code} · {c.name[locale] ?? c.name.ru}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="button secondary">
              {t('counter.center.choose')}
            </button>
          </form>
        </section>
      )}
      <p>{t('counter.lead')}</p>
      <form method="get" action="/staff/counter">
        <div class="field">
          <label for="q">{t('counter.search')}</label>
          <p class="hint" id="q-hint">
            {t('counter.search.hint')}
          </p>
          <input id="q" name="q" type="search" value={query} aria-describedby="q-hint" autocomplete="off" />
        </div>
        <button type="submit" class="button">
          {t('counter.find')}
        </button>
      </form>
      {refunded && (
        <p class="callout" role="status">
          {t('counter.refunds.done')}
        </p>
      )}
      {refunds.length > 0 && <RefundsDue ctx={ctx} staff={staff} refunds={refunds} />}
      {incoming.length > 0 && (
        <section aria-labelledby="incoming-heading">
          <h2 id="incoming-heading">{t('counter.incoming')}</h2>
          <TransferList
            ctx={ctx}
            staff={staff}
            open={incoming}
            receiveAt={(id) => `/staff/counter/transfers/${id}/receive`}
          />
        </section>
      )}
    </Layout>
  );
}

/** Counter refunds the center owes: each paid out in cash or reversed on the terminal, then recorded here. */
function RefundsDue({ ctx, staff, refunds }: Frame & { refunds: CounterRefund[] }) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <section aria-labelledby="refunds-heading">
      <h2 id="refunds-heading">{t('counter.refunds.title')}</h2>
      <p>{t('counter.refunds.lead')}</p>
      <ul class="lines">
        {refunds.map((r) => (
          <li key={r.paymentId} class="line-card">
            <h3 class="card-title">
              {r.reference} · <span class="nowrap">{formatMoney(locale, r.amountMinor, r.currency)}</span>
            </h3>
            <p>
              {t(r.method === 'cash' ? 'counter.refunds.cash' : 'counter.refunds.terminal', {
                slip: r.slipRef ?? '—',
                paid: r.paidAt ? formatDateTime(locale, r.paidAt, zone) : '—',
              })}
            </p>
            <form method="post" action={`/staff/counter/refunds/${r.paymentId}`}>
              <CsrfField token={staff.csrfToken} />
              {r.method === 'card_terminal' && (
                <div class="field">
                  <label for={`slip-${r.paymentId}`}>{t('counter.refunds.reversalSlip')}</label>
                  <input id={`slip-${r.paymentId}`} name="slipRef" autocomplete="off" maxlength={40} />
                </div>
              )}
              <button type="submit" class="button">
                {t(r.method === 'cash' ? 'counter.refunds.paidOut' : 'counter.refunds.reversed')}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

export type WalkInForm = { docType: string; docNumber: string; reason: string; simType: string };

/** The line before the passport check, and the one form that checks it and opens the request. */
export function CounterLinePage({
  ctx,
  staff,
  line,
  visit,
  form,
  errors,
  problem,
  esim,
}: Frame & {
  line: CounterLine;
  visit: string | null;
  form: WalkInForm;
  errors: FieldErrors;
  problem: MessageKey | null;
  esim: boolean;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const action = `/staff/counter/lines/${line.lineId}${visit ? `?visit=${visit}` : ''}`;
  return (
    <Layout
      ctx={ctx}
      title={t('counter.line.title', { number: phoneText(line.msisdn) })}
      hasErrors={Object.keys(errors).length > 0 || problem !== null}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <ProblemSummary t={t} problem={problem} />
      <h1>{t('counter.line.title', { number: phoneText(line.msisdn) })}</h1>
      <dl class="summary">
        <div class="summary-row">
          <dt>{t('counter.line.status')}</dt>
          <dd>{t(`account.status.${line.status}` as MessageKey)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('counter.line.sim')}</dt>
          <dd>{line.simFormFactor ? t(line.simFormFactor === 'esim' ? 'simType.esim' : 'simType.physical') : '—'}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('counter.line.lastChange')}</dt>
          <dd>{line.lastSimChangeAt ? formatDateTime(locale, line.lastSimChangeAt, zone) : '—'}</dd>
        </div>
      </dl>
      {line.openRequests.length > 0 && (
        <section aria-labelledby="open-requests">
          <h2 id="open-requests">{t('counter.open.title')}</h2>
          <ul>
            {line.openRequests.map((r) => (
              <li key={r.id}>
                {r.reference}: {t(`requestStatus.${r.status}` as MessageKey)}
                {r.status === 'ready_for_pickup' && r.atThisCenter && (
                  <>
                    {' '}
                    <a href={`/staff/pickup/${r.id}`}>{t('counter.open.pickup')}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
          <p>{t('counter.open.hint')}</p>
        </section>
      )}
      {!line.documentOnFile && <p class="tag warning">{t('identity.none_on_file')}</p>}
      {line.openRequests.length === 0 && line.documentOnFile && (
        <form method="post" action={action} novalidate>
          <CsrfField token={staff.csrfToken} />
          <h2>{t('counter.check.title')}</h2>
          <p>{t('counter.check.lead')}</p>
          <DocumentTypeSelect t={t} value={form.docType} errors={errors} />
          <Field t={t} name="docNumber" label={t('wizard.identity.docNumber')} value={form.docNumber} errors={errors} />
          <Radios
            t={t}
            name="reason"
            legend={t('counter.reason')}
            options={REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
            value={form.reason}
            errors={errors}
          />
          <Radios
            t={t}
            name="simType"
            legend={t('counter.simType')}
            options={SIM_TYPES.filter((s) => esim || s === 'physical').map((s) => ({
              value: s,
              label: t(`simType.${s}`),
            }))}
            value={form.simType}
            errors={errors}
          />
          <button type="submit" class="button">
            {t('counter.check.submit')}
          </button>
        </form>
      )}
      <p>
        <a href="/staff/counter">{t('counter.back')}</a>
      </p>
    </Layout>
  );
}

export type CaseForm = { method: string; slipRef: string; iccid: string };

/** The case being served, one step at a time: payment, the card (or eSIM), then the printed form. */
export function CounterCasePage({
  ctx,
  staff,
  served,
  form,
  errors,
  problem,
  qr,
}: Frame & {
  served: CounterCase;
  form: CaseForm;
  errors: FieldErrors;
  problem: MessageKey | null;
  qr: string | null;
}) {
  const { t, locale } = ctx;
  const fee = formatMoney(locale, served.totalMinor, served.currency);
  const base = `/staff/counter/requests/${served.id}`;
  const title = t('counter.case.title', { reference: served.reference });
  return (
    <Layout
      ctx={ctx}
      title={title}
      hasErrors={Object.keys(errors).length > 0 || problem !== null}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
    >
      <ErrorSummary t={t} errors={errors} />
      <ProblemSummary t={t} problem={problem} />
      <h1>{title}</h1>
      <dl class="summary">
        <div class="summary-row">
          <dt>{t('review.account')}</dt>
          <dd>{served.payer}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('review.col.number')}</dt>
          <dd class="nowrap">{phoneText(served.msisdn)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('counter.reason')}</dt>
          <dd>
            {served.reason && t(`reason.${served.reason}` as MessageKey)},{' '}
            {served.simType && t(`simType.${served.simType}` as MessageKey)}
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('counter.fee')}</dt>
          <dd>{fee}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('counter.case.status')}</dt>
          <dd>{t(`requestStatus.${served.status}` as MessageKey)}</dd>
        </div>
      </dl>
      {served.status === 'awaiting_payment' && (
        <form method="post" action={`${base}/payment`} novalidate>
          <CsrfField token={staff.csrfToken} />
          <h2>{t('counter.pay.title', { fee })}</h2>
          <Radios
            t={t}
            name="method"
            legend={t('counter.pay.method')}
            options={[
              { value: 'cash', label: t('pay.method.cash') },
              { value: 'card_terminal', label: t('pay.method.card_terminal'), hint: t('counter.pay.slip.hint') },
            ]}
            value={form.method}
            errors={errors}
          />
          <Field t={t} name="slipRef" label={t('counter.pay.slip')} value={form.slipRef} errors={errors} />
          <button type="submit" class="button">
            {t('counter.pay.submit')}
          </button>
        </form>
      )}
      {served.status === 'approved' && served.simType === 'physical' && (
        <form method="post" action={`${base}/sim`} novalidate>
          <CsrfField token={staff.csrfToken} />
          <h2>{t('counter.sim.title')}</h2>
          <Field
            t={t}
            name="iccid"
            label={t('pickup.iccid')}
            hint={t('counter.sim.hint')}
            inputmode="numeric"
            autocomplete="off"
            value={form.iccid}
            errors={errors}
          />
          <button type="submit" class="button">
            {t('counter.sim.submit')}
          </button>
        </form>
      )}
      {served.status === 'approved' && served.simType === 'esim' && (
        <form method="post" action={`${base}/esim`}>
          <CsrfField token={staff.csrfToken} />
          <h2>{t('counter.esim.title')}</h2>
          <p>{t('counter.esim.lead')}</p>
          <button type="submit" class="button">
            {t('counter.esim.submit')}
          </button>
        </form>
      )}
      {served.status === 'activated' && (
        <div class="notice" role="status">
          <h2>{t('counter.done.title')}</h2>
          <p>{t('counter.done.body', { number: phoneText(served.msisdn) })}</p>
          {served.iccid && <p>{t('counter.done.card', { end: served.iccid.slice(-5) })}</p>}
        </div>
      )}
      {qr && served.esimCode && (
        <figure class="qr">
          <img src={qr} alt={t('esim.code.qr')} width="240" height="240" />
          <figcaption>
            {t('counter.esim.scan')} <code>{served.esimCode}</code>
          </figcaption>
        </figure>
      )}
      {served.status === 'activated' && (
        <p>
          <a class="button" href={`${base}/form.pdf`} download>
            {t('counter.print')}
          </a>
        </p>
      )}
      <p>
        <a href="/staff/counter">{t('counter.next')}</a>
      </p>
    </Layout>
  );
}
