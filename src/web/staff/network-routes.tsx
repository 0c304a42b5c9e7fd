import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type NetworkJob, networkJobs, retryNetworkJob } from '../../app/back-office/network-jobs.ts';
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

function NetworkPage({
  ctx,
  staff,
  jobs,
  outcome,
}: {
  ctx: PageContext;
  staff: StaffSession;
  jobs: NetworkJob[];
  outcome: Outcome | null;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <Layout ctx={ctx} title={t('network.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      {outcome && (
        <div class="notice" role="status">
          <p>{t(`network.${outcome}`)}</p>
        </div>
      )}
      <h1>{t('network.title')}</h1>
      <p>{t('network.lead')}</p>
      {jobs.length === 0 ? (
        <p>{t('network.none')}</p>
      ) : (
        <ul class="lines">
          {jobs.map((job) => (
            <li key={job.id} class="line-card">
              <h2 class="card-title">
                {t(`network.topic.${job.topic}` as MessageKey)} · <span class="nowrap">{phoneText(job.msisdn)}</span>
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
              {job.status === 'dead' && (
                <form method="post" action={`/staff/network/${job.id}/retry`}>
                  <CsrfField token={staff.csrfToken} />
                  <button type="submit" class="button">
                    {t('network.retry')}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** Network changes the provisioning system has not confirmed, for administrators to watch and send again. */
export async function networkRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite }: Options) {
  const guard = staffOnly(['admin']);
  const page = async (request: FastifyRequest, outcome: Outcome | null) => (
    <NetworkPage
      ctx={pageContext(request, assets, demo)}
      staff={request.staff as StaffSession}
      jobs={await networkJobs(db, request.operator.id)}
      outcome={outcome}
    />
  );
  app.get<{ Querystring: { done?: string } }>('/staff/network', { preHandler: guard }, async (request, reply) =>
    sendPage(reply, await page(request, OUTCOMES.find((o) => o === request.query.done) ?? null)),
  );
  app.post<{ Params: { jobId: string } }>(
    '/staff/network/:jobId/retry',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      const jobId = Number(request.params.jobId);
      if (!Number.isSafeInteger(jobId) || jobId <= 0) return reply.callNotFound();
      const staff = request.staff as StaffSession;
      const retried = await retryNetworkJob(
        db,
        { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip },
        jobId,
      );
      if (!retried.ok && retried.error === 'job.superseded')
        return reply.redirect('/staff/network?done=superseded', 303);
      if (!retried.ok) return reply.callNotFound();
      onOutboxWrite();
      return reply.redirect('/staff/network?done=retried', 303);
    },
  );
}
