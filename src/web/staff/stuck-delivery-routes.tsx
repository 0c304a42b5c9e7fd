import type { FastifyInstance } from 'fastify';
import {
  retryStuckDelivery,
  type StuckDelivery,
  stuckDeliveries,
  type WatchedLane,
} from '../../app/back-office/stuck-deliveries.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { formatDateTime, type MessageKey } from '../../i18n/translate.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { CsrfField } from '../shared/form.tsx';
import { formRoute } from '../shared/form-schema.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { phoneText } from '../shared/phone-number.tsx';
import { StaffMenu } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; onOutboxWrite: () => void };

const OUTCOMES = ['retried', 'superseded'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** Where each watched lane's page lives, and the words that differ between them. */
const PAGES = {
  network: { path: '/staff/network', title: 'network.title', lead: 'network.lead', none: 'network.none' },
  partners: { path: '/staff/partners', title: 'partners.title', lead: 'partners.lead', none: 'partners.none' },
} as const satisfies Record<
  Exclude<WatchedLane, 'payments'>,
  { path: string; title: MessageKey; lead: MessageKey; none: MessageKey }
>;

function StuckDeliveriesPage({
  ctx,
  staff,
  lane,
  jobs,
  outcome,
}: {
  ctx: PageContext;
  staff: StaffSession;
  lane: keyof typeof PAGES;
  jobs: StuckDelivery[];
  outcome: Outcome | null;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const page = PAGES[lane];
  return (
    <Layout ctx={ctx} title={t(page.title)} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      {outcome && (
        <div class="notice" role="status">
          <p>{t(`network.${outcome}`)}</p>
        </div>
      )}
      <h1>{t(page.title)}</h1>
      <p>{t(page.lead)}</p>
      {jobs.length === 0 ? (
        <p>{t(page.none)}</p>
      ) : (
        <ul class="lines">
          {jobs.map((job) => (
            <li key={job.id} class="line-card">
              <h2 class="card-title">
                {t(`network.topic.${job.topic}` as MessageKey)} ·{' '}
                <span class={lane === 'network' ? 'nowrap' : 'breakable'}>
                  {job.subject.startsWith('+') ? phoneText(job.subject) : job.subject}
                </span>
              </h2>
              <p class={job.status === 'dead' ? 'tag warning' : 'tag'}>
                {job.status === 'dead' ? t('network.dead') : t('network.retrying')}
              </p>
              <dl>
                <dt>{t('network.attempts')}</dt>
                <dd>{job.attempts}</dd>
                <dt>{t('network.since')}</dt>
                <dd>{formatDateTime(locale, job.createdAt, zone)}</dd>
                {job.status === 'pending' && (
                  <>
                    <dt>{t('network.next')}</dt>
                    <dd>{formatDateTime(locale, job.nextAttemptAt, zone)}</dd>
                  </>
                )}
                <dt>{t('network.lastError')}</dt>
                <dd class="breakable">{job.lastError ?? '—'}</dd>
              </dl>
              {job.status === 'dead' && <RetryForm ctx={ctx} staff={staff} action={`${page.path}/${job.id}/retry`} />}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** "Send again" for a delivery given up after its last retry. */
export function RetryForm({ ctx, staff, action }: { ctx: PageContext; staff: StaffSession; action: string }) {
  return (
    <form method="post" action={action}>
      <CsrfField token={staff.csrfToken} />
      <button type="submit" class="button">
        {ctx.t('network.retry')}
      </button>
    </form>
  );
}

/**
 * `POST <path>/:jobId/retry`: the lane's given-up delivery back in the queue under its own key,
 * then back to `<path>` saying so (or that a later command superseded it).
 */
export function retryRoute(
  app: FastifyInstance,
  { db, onOutboxWrite }: { db: Db; onOutboxWrite: () => void },
  lane: WatchedLane,
  path: string,
) {
  app.post<{ Params: { jobId: string } }>(
    `${path}/:jobId/retry`,
    { ...formRoute({}), preHandler: staffOnly(['admin']) },
    async (request, reply) => {
      const jobId = Number(request.params.jobId);
      if (!Number.isSafeInteger(jobId) || jobId <= 0) return reply.callNotFound();
      const staff = request.staff as StaffSession;
      const retried = await retryStuckDelivery(
        db,
        { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip },
        lane,
        jobId,
      );
      if (!retried.ok && retried.error === 'job.superseded') return reply.redirect(`${path}?done=superseded`, 303);
      if (!retried.ok) return reply.callNotFound();
      onOutboxWrite();
      return reply.redirect(`${path}?done=retried`, 303);
    },
  );
}

/**
 * Deliveries that did not go through at once, for administrators to watch and send again: the
 * network's commands, and partners' webhooks and CAMARA events.
 */
export async function stuckDeliveryRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite }: Options) {
  const guard = staffOnly(['admin']);
  for (const lane of ['network', 'partners'] as const) {
    const { path } = PAGES[lane];
    app.get<{ Querystring: { done?: string } }>(path, { preHandler: guard }, async (request, reply) =>
      sendPage(
        reply,
        <StuckDeliveriesPage
          ctx={pageContext(request, assets, demo)}
          staff={request.staff as StaffSession}
          lane={lane}
          jobs={await stuckDeliveries(db, request.operator.id, lane)}
          outcome={OUTCOMES.find((o) => o === request.query.done) ?? null}
        />,
      ),
    );
    retryRoute(app, { db, onOutboxWrite }, lane, path);
  }
}
