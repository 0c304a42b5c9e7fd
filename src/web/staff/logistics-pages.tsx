import type { LogisticsRow } from '../../app/back-office/logistics-queue.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { formatDateTime, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField } from '../shared/form.tsx';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { StaffMenu } from './review-pages.tsx';

/** A refusal or a done step, about one request of the list. */
export type LogisticsNotice = { reference: string; message: MessageKey; problem: boolean } | null;
export type DispatchInput = { requestId: string; carrier: string; trackingNumber: string } | null;

function Action({
  label,
  action,
  csrf,
  kind = 'secondary',
}: {
  label: string;
  action: string;
  csrf: string;
  kind?: string;
}) {
  return (
    <form method="post" action={action}>
      <CsrfField token={csrf} />
      <button type="submit" class={`button ${kind}`}>
        {label}
      </button>
    </form>
  );
}

function DispatchForm({
  ctx,
  row,
  csrf,
  typed,
}: {
  ctx: PageContext;
  row: LogisticsRow;
  csrf: string;
  typed: DispatchInput;
}) {
  const { t } = ctx;
  const mine = typed?.requestId === row.id ? typed : null;
  return (
    <form method="post" action={`/staff/logistics/${row.id}/dispatch`} novalidate>
      <CsrfField token={csrf} />
      <div class="field">
        <label for={`carrier-${row.id}`}>{t('logistics.carrier')}</label>
        <input id={`carrier-${row.id}`} name="carrier" type="text" value={mine?.carrier ?? ''} />
      </div>
      <div class="field">
        <label for={`tracking-${row.id}`}>{t('logistics.tracking')}</label>
        <input id={`tracking-${row.id}`} name="trackingNumber" type="text" value={mine?.trackingNumber ?? ''} />
      </div>
      <button type="submit" class="button">
        {t('logistics.dispatch')}
      </button>
    </form>
  );
}

export function LogisticsPage({
  ctx,
  staff,
  rows,
  notice,
  typed,
  carrier,
}: {
  ctx: PageContext;
  staff: StaffSession;
  rows: LogisticsRow[];
  notice: LogisticsNotice;
  typed: DispatchInput;
  /** The carrier parcels can be booked with, if one is connected. */
  carrier: string | null;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const csrf = staff.csrfToken;
  return (
    <Layout ctx={ctx} title={t('logistics.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      {notice && (
        <div class={notice.problem ? 'error-summary' : 'notice'} role={notice.problem ? 'alert' : 'status'}>
          <p>
            {notice.reference}: {t(notice.message)}
          </p>
        </div>
      )}
      <h1>{t('logistics.title')}</h1>
      {rows.length === 0 ? (
        <p>{t('logistics.empty')}</p>
      ) : (
        <ul class="lines">
          {rows.map((row) => (
            <li key={row.id} class="line-card">
              <h2 class="card-title">{row.reference}</h2>
              {row.overdue && <p class="tag warning">{t('logistics.overdue')}</p>}
              <dl>
                <dt>{t('review.col.number')}</dt>
                <dd class="nowrap">{phoneText(row.msisdn)}</dd>
                <dt>{t('review.col.delivery')}</dt>
                <dd>{row.delivery ? t(`delivery.${row.delivery}`) : '—'}</dd>
                <dt>{t('logistics.status')}</dt>
                <dd>{t(`staffStatus.${row.status}`)}</dd>
                {row.center && (
                  <>
                    <dt>{t('staff.home.center')}</dt>
                    <dd>{row.center[locale] ?? row.center.ru}</dd>
                  </>
                )}
                {row.iccid && (
                  <>
                    <dt>ICCID</dt>
                    <dd class="breakable">{row.iccid}</dd>
                  </>
                )}
                {row.trackingNumber && (
                  <>
                    <dt>{t('logistics.tracking')}</dt>
                    <dd>
                      {row.carrier} {row.trackingNumber}
                    </dd>
                    {row.parcel && (
                      <>
                        <dt>{t('logistics.parcel')}</dt>
                        <dd>{t(`parcel.${row.parcel}`)}</dd>
                      </>
                    )}
                    <dt>{t('logistics.expectedBy')}</dt>
                    <dd>{row.expectedTo}</dd>
                  </>
                )}
                {row.holdUntil && row.status === 'approved' && (
                  <>
                    <dt>{t('logistics.holdUntil')}</dt>
                    <dd>{formatDateTime(locale, row.holdUntil, zone)}</dd>
                  </>
                )}
              </dl>
              {row.status === 'approved' && (
                <Action
                  label={t('logistics.reserve')}
                  action={`/staff/logistics/${row.id}/reserve`}
                  csrf={csrf}
                  kind=""
                />
              )}
              {(row.status === 'sim_assigned' || row.status === 'returned') && row.delivery === 'courier' && (
                <>
                  {carrier && (
                    <Action
                      label={t('logistics.book', { carrier })}
                      action={`/staff/logistics/${row.id}/book`}
                      csrf={csrf}
                      kind=""
                    />
                  )}
                  <DispatchForm ctx={ctx} row={row} csrf={csrf} typed={typed} />
                </>
              )}
              {row.status === 'returned' && (
                <div class="actions">
                  <Action label={t('logistics.restock')} action={`/staff/logistics/${row.id}/restock`} csrf={csrf} />
                  <Action
                    label={t('logistics.defective')}
                    action={`/staff/logistics/${row.id}/defective`}
                    csrf={csrf}
                  />
                </div>
              )}
              {row.status === 'sim_assigned' && row.delivery === 'pickup' && (
                <Action label={t('logistics.ready')} action={`/staff/logistics/${row.id}/ready`} csrf={csrf} kind="" />
              )}
              {row.status === 'sim_assigned' && row.delivery === 'esim' && <p>{t('logistics.esimWaiting')}</p>}
              {row.status === 'dispatched' && (
                <Action label={t('logistics.delivered')} action={`/staff/logistics/${row.id}/delivered`} csrf={csrf} />
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
