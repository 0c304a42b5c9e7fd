import { DateTime } from 'luxon';
import type { CenterListing } from '../../../app/centers/center-directory.ts';
import type { OpeningStatus } from '../../../domain/opening-hours.ts';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';
import { phoneText } from '../../shared/phone-number.tsx';

/** "Open now, closes at 20:00" or "Closed, opens tomorrow at 09:00", in the center's own time. */
export function statusText(ctx: PageContext, status: OpeningStatus, timeZone: string, now: Date): string {
  const { t, locale } = ctx;
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).setLocale(locale);
  if (status.open) return t('centers.open', { time: local(status.closesAt).toFormat('HH:mm') });
  if (!status.opensAt) return t('centers.closedLong');
  const opens = local(status.opensAt);
  const days = opens.startOf('day').diff(local(now).startOf('day'), 'days').days;
  const time = opens.toFormat('HH:mm');
  if (days === 0) return t('centers.opensToday', { time });
  if (days === 1) return t('centers.opensTomorrow', { time });
  return t('centers.opensOn', { day: opens.toFormat('cccc'), time });
}

const mapLinks = (c: CenterListing['center']) => ({
  geo: `geo:${c.latitude},${c.longitude}?q=${c.latitude},${c.longitude}`,
  web: `https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}#map=17/${c.latitude}/${c.longitude}`,
});

function CenterCard({ ctx, listing, now }: { ctx: PageContext; listing: CenterListing; now: Date }) {
  const { t, locale } = ctx;
  const { center, status, stock } = listing;
  const links = mapLinks(center);
  return (
    <li class="line-card">
      <h3 class="card-title">
        <a href={`/centers/${center.code}`}>{center.name[locale]}</a>
      </h3>
      <p class={status.open ? 'open-now' : ''}>
        <strong>{statusText(ctx, status, center.timeZone, now)}</strong>
      </p>
      <p>{center.address[locale]}</p>
      {listing.distanceKm !== null && <p>{t('centers.distance', { km: listing.distanceKm.toFixed(1) })}</p>}
      <ul class="services">
        <li>{t('centers.service.walkIn')}</li>
        {center.offersPickup && <li>{t('centers.service.pickup')}</li>}
        {center.offersEsim && <li>{t('centers.service.esim')}</li>}
        <li>{t(stock.physical > 0 ? 'centers.stock.physical' : 'centers.stock.physical_none')}</li>
        {center.offersEsim && <li>{t(stock.esim > 0 ? 'centers.stock.esim' : 'centers.stock.esim_none')}</li>}
      </ul>
      <p>
        <a href={links.geo}>{t('centers.map.app')}</a> · <a href={links.web}>{t('centers.map.web')}</a>
      </p>
    </li>
  );
}

export function CentersPage({
  ctx,
  listings,
  search,
  located,
  now,
  bring,
  script,
}: {
  ctx: PageContext;
  listings: CenterListing[];
  search: string;
  located: boolean;
  now: Date;
  bring: string;
  script: string;
}) {
  const { t, locale } = ctx;
  const cities = [...new Set(listings.map((l) => l.center.cityKey))];
  return (
    <Layout ctx={ctx} title={t('centers.title')} scripts={[script]}>
      <h1>{t('centers.title')}</h1>
      <p>{bring}</p>
      <form method="get" action="/centers" class="filters">
        <div class="field">
          <label for="q">{t('centers.search')}</label>
          <input id="q" name="q" type="search" value={search} />
        </div>
        <button type="submit" class="button secondary">
          {t('centers.find')}
        </button>
      </form>
      <form method="get" action="/centers" data-locate hidden>
        <input type="hidden" name="lat" />
        <input type="hidden" name="lon" />
        <button type="submit" class="button secondary">
          {t('centers.locate')}
        </button>
      </form>
      {located && <p>{t('centers.sorted')}</p>}
      {listings.length === 0 && <p>{t('centers.none')}</p>}
      {located ? (
        <ul class="lines">
          {listings.map((l) => (
            <CenterCard key={l.center.id} ctx={ctx} listing={l} now={now} />
          ))}
        </ul>
      ) : (
        cities.map((city) => {
          const here = listings.filter((l) => l.center.cityKey === city);
          return (
            <section key={city} aria-labelledby={`city-${city}`}>
              <h2 id={`city-${city}`}>{here[0]?.center.city[locale]}</h2>
              <ul class="lines">
                {here.map((l) => (
                  <CenterCard key={l.center.id} ctx={ctx} listing={l} now={now} />
                ))}
              </ul>
            </section>
          );
        })
      )}
    </Layout>
  );
}

export function CenterPage({
  ctx,
  listing,
  now,
  bring,
}: {
  ctx: PageContext;
  listing: CenterListing;
  now: Date;
  bring: string;
}) {
  const { t, locale } = ctx;
  const { center, schedule } = listing;
  const links = mapLinks(center);
  const weekday = (n: number) =>
    DateTime.fromObject({ weekday: n as 1 })
      .setLocale(locale)
      .toFormat('cccc');
  return (
    <Layout ctx={ctx} title={center.name[locale]}>
      <h1>{center.name[locale]}</h1>
      <p>
        <strong>{statusText(ctx, listing.status, center.timeZone, now)}</strong>
      </p>
      <p>
        {center.city[locale]}, {center.address[locale]}
      </p>
      <p>
        {t('centers.phone')}: <span class="nowrap">{phoneText(center.phone)}</span>
      </p>
      <p>
        <a href={links.geo}>{t('centers.map.app')}</a> · <a href={links.web}>{t('centers.map.web')}</a>
      </p>
      <h2>{t('centers.hours')}</h2>
      <dl class="summary">
        {[1, 2, 3, 4, 5, 6, 7].map((day) => {
          const intervals = schedule.weekly.filter((h) => h.weekday === day);
          return (
            <div key={day} class="summary-row">
              <dt>{weekday(day)}</dt>
              <dd>
                {intervals.length === 0
                  ? t('centers.closed')
                  : intervals.map((i) => `${i.opens}–${i.closes}`).join(', ')}
              </dd>
            </div>
          );
        })}
      </dl>
      <p>{t('centers.timeZone', { zone: center.timeZone })}</p>
      {schedule.exceptions.length > 0 && (
        <>
          <h2>{t('centers.exceptions')}</h2>
          <ul>
            {schedule.exceptions.map((e) => (
              <li key={e.date}>
                {DateTime.fromISO(e.date).setLocale(locale).toLocaleString(DateTime.DATE_FULL)}:{' '}
                {e.intervals.length === 0
                  ? t('centers.closed')
                  : e.intervals.map((i) => `${i.opens}–${i.closes}`).join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('centers.bring.title')}</h2>
      <p>{bring}</p>
      {center.slotCapacity > 0 && (
        <p>
          <a class="button" href={`/centers/${center.code}/book`}>
            {t('visit.book')}
          </a>
        </p>
      )}
      <p>
        <a href="/centers">{t('centers.all')}</a>
      </p>
    </Layout>
  );
}
