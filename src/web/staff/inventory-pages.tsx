import { type ComponentChildren, Fragment } from 'preact';
import type { SimFound, StockLine } from '../../app/back-office/inventory.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { SIM_STATUSES } from '../../domain/replacement.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { StaffMenu } from './review-pages.tsx';

export type Place = { id: string | null; name: string };

export function InventoryPage({
  ctx,
  staff,
  places,
  stock,
  search,
  found,
  notice,
  children,
}: {
  ctx: PageContext;
  staff: StaffSession;
  places: Place[];
  stock: StockLine[];
  search: string;
  found: SimFound | null;
  /** What the last step did (a transfer sent or received, an import). */
  notice: ComponentChildren;
  /** Transfers and the stock upload. */
  children: ComponentChildren;
}) {
  const { t, locale } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('inventory.title')}
      nav={<StaffMenu ctx={ctx} staff={staff} />}
      scripts={[ctx.assets.stockUpload]}
    >
      {notice}
      <h1>{t('inventory.title')}</h1>
      <form method="get" action="/staff/inventory">
        <div class="field">
          <label for="iccid">{t('inventory.search')}</label>
          <input id="iccid" name="iccid" type="search" inputMode="numeric" value={search} />
        </div>
        <button type="submit" class="button secondary">
          {t('pickup.find')}
        </button>
      </form>
      {search &&
        (found ? (
          <dl class="summary">
            <div class="summary-row">
              <dt>ICCID</dt>
              <dd class="breakable">{found.iccid}</dd>
            </div>
            <div class="summary-row">
              <dt>{t('inventory.status')}</dt>
              <dd>{t(`simStatus.${found.status}`)}</dd>
            </div>
            <div class="summary-row">
              <dt>{t('inventory.place')}</dt>
              <dd>{found.center ? found.center[locale] : t('inventory.warehouse')}</dd>
            </div>
            {found.msisdn && (
              <div class="summary-row">
                <dt>{t('review.col.number')}</dt>
                <dd class="nowrap">{phoneText(found.msisdn)}</dd>
              </div>
            )}
            {found.reference && (
              <div class="summary-row">
                <dt>{t('inventory.request')}</dt>
                <dd>{found.reference}</dd>
              </div>
            )}
          </dl>
        ) : (
          <p>{t('inventory.notFound')}</p>
        ))}
      <h2>{t('inventory.stock')}</h2>
      <ul class="lines">
        {places.flatMap((place) =>
          stock
            .filter((line) => line.centerId === place.id)
            .map((line) => (
              <li key={`${place.id}:${line.kind}`} class="line-card">
                <h3 class="card-title">
                  {place.name} · {t(`staff.stock.${line.kind}`)}
                </h3>
                <dl>
                  {SIM_STATUSES.filter((status) => line.counts[status]).map((status) => (
                    <Fragment key={status}>
                      <dt>{t(`simStatus.${status}`)}</dt>
                      <dd>{line.counts[status]}</dd>
                    </Fragment>
                  ))}
                </dl>
              </li>
            )),
        )}
      </ul>
      {children}
    </Layout>
  );
}
