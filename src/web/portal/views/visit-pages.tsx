import type { CenterSlots, OpenSlot, Visit } from '../../../app/centers/visits.ts';
import { formatDate, formatDateTime, formatTime, type MessageKey } from '../../../i18n/translate.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors, ProblemSummary } from '../../shared/form.tsx';
import { Layout } from '../../shared/layout.tsx';
import type { PageContext } from '../../shared/page-context.ts';

export type BookForm = { startsAt: string; name: string; phone: string; email: string; line: string };

/** The slots of one day as radio buttons; a full slot is shown but cannot be chosen. */
function SlotChoice({
  ctx,
  slots,
  zone,
  value,
  errors,
  idBase = 'startsAt',
  legend,
}: {
  ctx: PageContext;
  slots: OpenSlot[];
  zone: string;
  value: string;
  errors: FieldErrors;
  idBase?: string;
  legend?: string;
}) {
  const { t, locale } = ctx;
  const error = idBase === 'startsAt' ? errors.startsAt : undefined;
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? 'startsAt-error' : undefined}>
      <legend>{legend ?? t('visit.slot')}</legend>
      {error && (
        <p class="error" id="startsAt-error">
          {t(error)}
        </p>
      )}
      <div class="slots">
        {slots.map((s, i) => {
          const iso = s.startsAt.toISOString();
          const id = i === 0 ? idBase : `${idBase}-${i}`;
          return (
            <div class="radio" key={iso}>
              <input type="radio" id={id} name="startsAt" value={iso} checked={value === iso} disabled={s.free === 0} />
              <label for={id}>
                {formatTime(locale, s.startsAt, zone)}{' '}
                <span class="hint">{s.free === 0 ? t('visit.full') : t('visit.free', { n: s.free })}</span>
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The days that have slots, as links, the chosen one marked. */
function DayLinks({
  ctx,
  base,
  days,
  day,
}: {
  ctx: PageContext;
  base: string;
  days: CenterSlots['days'];
  day: string;
}) {
  return (
    <nav aria-label={ctx.t('visit.days')}>
      <ul class="days">
        {days.map((d) => (
          <li key={d.date}>
            {d.date === day ? (
              <strong aria-current="date">{formatDate(ctx.locale, new Date(`${d.date}T12:00:00Z`))}</strong>
            ) : (
              <a href={`${base}?day=${d.date}`}>{formatDate(ctx.locale, new Date(`${d.date}T12:00:00Z`))}</a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function BookVisitPage({
  ctx,
  slots,
  day,
  form,
  errors,
  problem,
  csrf,
  bookingAs,
}: {
  ctx: PageContext;
  slots: CenterSlots;
  day: string;
  form: BookForm;
  errors: FieldErrors;
  problem: MessageKey | null;
  csrf: string;
  /** The signed-in subscriber's name: no code is needed and the contacts are the account's. */
  bookingAs: string | null;
}) {
  const { t, locale } = ctx;
  const { center } = slots.listing;
  const base = `/centers/${center.code}/book`;
  const chosen = slots.days.find((d) => d.date === day) ?? slots.days[0];
  const title = t('visit.title', { center: center.name[locale] });
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0 || problem !== null}>
      <ErrorSummary t={t} errors={errors} />
      <ProblemSummary t={t} problem={problem} />
      <h1>{title}</h1>
      <p>{center.address[locale]}</p>
      {!chosen ? (
        <p>{t('visit.none')}</p>
      ) : (
        <>
          <DayLinks ctx={ctx} base={base} days={slots.days} day={chosen.date} />
          <form method="post" action={`${base}?day=${chosen.date}`} novalidate>
            <CsrfField token={csrf} />
            <SlotChoice ctx={ctx} slots={chosen.slots} zone={center.timeZone} value={form.startsAt} errors={errors} />
            {bookingAs ? (
              <p>{t('visit.as', { name: bookingAs })}</p>
            ) : (
              <>
                <Field
                  t={t}
                  name="name"
                  label={t('visit.name')}
                  value={form.name}
                  errors={errors}
                  autocomplete="name"
                />
                <Field
                  t={t}
                  name="phone"
                  label={t('visit.phone')}
                  hint={t('visit.phone.hint')}
                  type="tel"
                  value={form.phone}
                  errors={errors}
                  autocomplete="tel"
                />
                <Field
                  t={t}
                  name="email"
                  label={t('visit.email')}
                  hint={t('visit.email.hint')}
                  type="email"
                  value={form.email}
                  errors={errors}
                  autocomplete="email"
                />
                <Field
                  t={t}
                  name="line"
                  label={t('visit.line')}
                  hint={t('visit.line.hint')}
                  type="tel"
                  value={form.line}
                  errors={errors}
                />
              </>
            )}
            <button type="submit" class="button">
              {t(bookingAs ? 'visit.submit' : 'visit.sendCode')}
            </button>
          </form>
        </>
      )}
      <p>
        <a href={`/centers/${center.code}`}>{t('visit.backToCenter')}</a>
      </p>
    </Layout>
  );
}

export function VisitCodePage({
  ctx,
  action,
  pending,
  code,
  errors,
  csrf,
}: {
  ctx: PageContext;
  action: string;
  pending: string;
  code: string;
  errors: FieldErrors;
  csrf: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('visit.code.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t('visit.code.title')}</h1>
      <p>{t('visit.code.lead')}</p>
      <form method="post" action={action} novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="pending" value={pending} />
        <Field
          t={t}
          name="code"
          label={t('visit.code')}
          inputmode="numeric"
          autocomplete="one-time-code"
          value={code}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('visit.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** The visit from its link: the ticket to show at the counter, and cancelling or moving it. */
export function VisitPage({
  ctx,
  visit,
  qr,
  bring,
  slots,
  notice,
  errors,
  csrf,
  path,
}: {
  ctx: PageContext;
  visit: Visit;
  qr: string;
  bring: string;
  slots: CenterSlots | null;
  notice: MessageKey | null;
  errors: FieldErrors;
  csrf: string;
  path: string;
}) {
  const { t, locale } = ctx;
  const { center } = visit;
  const booked = visit.status === 'booked';
  return (
    <Layout ctx={ctx} title={t('visit.ticket.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary t={t} errors={errors} />
      {notice && (
        <div class="notice" role="status">
          <p>{t(notice)}</p>
        </div>
      )}
      <h1>{t('visit.ticket.title')}</h1>
      <dl class="summary">
        <div class="summary-row">
          <dt>{t('visit.ticket')}</dt>
          <dd>
            <strong class="ticket">{visit.ticket}</strong>
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('visit.when')}</dt>
          <dd>{formatDateTime(locale, visit.startsAt, center.timeZone)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('visit.where')}</dt>
          <dd>
            <a href={`/centers/${center.code}`}>{center.name[locale]}</a>, {center.address[locale]}
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('counter.case.status')}</dt>
          <dd>{t(`visit.status.${visit.status}` as MessageKey)}</dd>
        </div>
      </dl>
      {booked && (
        <>
          <figure class="qr">
            <img src={qr} alt={t('visit.qr', { ticket: visit.ticket })} width="200" height="200" />
            <figcaption>{t('visit.qr.caption')}</figcaption>
          </figure>
          <h2>{t('centers.bring.title')}</h2>
          <p>{bring}</p>
          {slots && slots.days.length > 0 && (
            <form method="post" action={`${path}/move`} novalidate>
              <CsrfField token={csrf} />
              <h2>{t('visit.move')}</h2>
              {slots.days.slice(0, 3).map((day, n) => (
                <SlotChoice
                  key={day.date}
                  ctx={ctx}
                  slots={day.slots}
                  zone={center.timeZone}
                  value=""
                  errors={errors}
                  idBase={n === 0 ? 'startsAt' : `startsAt-${day.date}`}
                  legend={formatDate(locale, new Date(`${day.date}T12:00:00Z`))}
                />
              ))}
              <button type="submit" class="button secondary">
                {t('visit.move.submit')}
              </button>
            </form>
          )}
          <form method="post" action={`${path}/cancel`}>
            <CsrfField token={csrf} />
            <button type="submit" class="button warning">
              {t('visit.cancel')}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}
