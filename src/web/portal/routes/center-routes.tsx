import type { FastifyInstance, FastifyRequest } from 'fastify';
import { centerDirectory } from '../../../app/centers/center-directory.ts';
import type { Db } from '../../../db/client.ts';
import { readPosition } from '../../../domain/geo.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import { CenterPage, CentersPage } from '../views/center-pages.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; now: () => Date };
type Query = { q?: string; lat?: string; lon?: string };

/** The public center finder: no sign-in, no third-party map, complete without JavaScript. */
export async function centerRoutes(app: FastifyInstance, { assets, demo, db, now }: Options) {
  /** What to bring: the passport, and the migration card where only citizens may replace online. */
  const bring = (request: FastifyRequest) =>
    request.t(request.operator.onlineReplacement === 'citizens_only' ? 'centers.bring.foreigners' : 'centers.bring');

  app.get<{ Querystring: Query }>('/centers', async (request, reply) => {
    const search = typeof request.query.q === 'string' ? request.query.q.slice(0, 60) : '';
    const from = readPosition(request.query.lat, request.query.lon);
    const at = now();
    const listings = await centerDirectory(db, request.operator.id, { now: at, from, search });
    const ctx = pageContext(request, assets, demo);
    const page = (
      <CentersPage
        ctx={ctx}
        listings={listings}
        search={search}
        located={from !== null}
        now={at}
        bring={bring(request)}
        script={assets.centerFinder}
      />
    );
    return sendPage(reply, page);
  });

  app.get<{ Params: { code: string } }>('/centers/:code', async (request, reply) => {
    const code = request.params.code.toUpperCase();
    if (!/^[A-Z0-9-]{2,20}$/.test(code)) return reply.callNotFound();
    const at = now();
    const [listing] = await centerDirectory(db, request.operator.id, { now: at, code });
    if (!listing) return reply.callNotFound();
    const ctx = pageContext(request, assets, demo);
    return sendPage(reply, <CenterPage ctx={ctx} listing={listing} now={at} bring={bring(request)} />);
  });
}
