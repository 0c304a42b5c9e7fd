import type { FastifyInstance } from 'fastify';
import { type OperatorSummary, platformOverview } from '../../app/platform/platform-overview.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db };

function PlatformPage({ ctx, staff, brands }: { ctx: PageContext; staff: StaffSession; brands: OperatorSummary[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('platform.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <h1>{t('platform.title')}</h1>
      <p>{t('platform.lead')}</p>
      <ul class="lines">
        {brands.map((b) => (
          <li key={b.slug} class="line-card">
            <h2 class="card-title">
              {b.name[locale]} ({b.slug})
            </h2>
            <dl>
              <dt>{t('platform.col.hosts')}</dt>
              <dd>{b.hostnames.join(', ')}</dd>
              <dt>{t('platform.col.accounts')}</dt>
              <dd>{b.accounts}</dd>
              <dt>{t('platform.col.centers')}</dt>
              <dd>{b.centers}</dd>
              <dt>{t('platform.col.staff')}</dt>
              <dd>{b.staff}</dd>
              <dt>{t('platform.col.open')}</dt>
              <dd>{b.openRequests}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The platform administrator's view across every operator (brand) of the deployment. */
export async function platformRoutes(app: FastifyInstance, { assets, demo, db }: Options) {
  app.get('/staff/platform', { preHandler: staffOnly(['platform_admin']) }, async (request, reply) => {
    const ctx = pageContext(request, assets, demo);
    const brands = await platformOverview(db);
    return sendPage(reply, <PlatformPage ctx={ctx} staff={request.staff as StaffSession} brands={brands} />);
  });
}
