import type { FastifyInstance } from 'fastify';
import type { Links } from '../../../app/operators/links.ts';
import { isWasntMeToken, reportNotMe } from '../../../app/requests/wasnt-me.ts';
import type { Db } from '../../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import { formRoute } from '../../shared/form-schema.ts';
import { WasntMePage } from '../views/request-status-page.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; links: Links };
type Route = { Params: { token: string } };

/**
 * The "This wasn't me" link from every SIM change notice. Opening it only asks (mail scanners
 * open links too); the button freezes the request and the account.
 */
export async function wasntMeRoutes(app: FastifyInstance, { assets, demo, db, links }: Options) {
  app.get<Route>('/wasnt-me/:token', async (request, reply) => {
    const valid = isWasntMeToken(links.secret, request.params.token);
    const page = (
      <WasntMePage
        ctx={pageContext(request, assets, demo)}
        state={valid ? 'confirm' : 'invalid'}
        csrf={reply.csrfToken()}
      />
    );
    return sendPage(reply, page, valid ? 200 : 404);
  });

  app.post<Route>('/wasnt-me/:token', formRoute({}), async (request, reply) => {
    const result = await reportNotMe(db, links.secret, request.operator.id, request.params.token, request.ip);
    const page = (
      <WasntMePage
        ctx={pageContext(request, assets, demo)}
        state={result.ok ? 'done' : 'invalid'}
        csrf={reply.csrfToken()}
      />
    );
    return sendPage(reply.clearSessionCookie(), page, result.ok ? 200 : 404);
  });
}
