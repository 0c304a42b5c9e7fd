import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setSimChangeLock } from '../../../app/accounts/sim-change-lock.ts';
import { reauthenticate } from '../../../app/auth/reauthenticate.ts';
import type { SubscriberSession } from '../../../app/auth/sessions.ts';
import { blockLine, type LineActor, unblockLine } from '../../../app/lines/line-blocking.ts';
import type { Db } from '../../../db/client.ts';
import { requireSubscriber } from '../../plugins/session.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { formRoute, line, secret } from '../../shared/form-schema.ts';
import { type AccountNotice, AccountPage } from '../views/account-page.tsx';
import { UnblockPage } from '../views/unblock-page.tsx';
import { subscriberSession } from './subscriber-context.ts';

type Options = { assets: Assets; demo: boolean; db: Db; onOutboxWrite: () => void };
type LineParams = { Params: { lineId: string } };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actor(request: FastifyRequest): LineActor {
  const session = request.session as SubscriberSession;
  return { operatorId: session.operatorId, accountId: session.accountId, ip: request.ip };
}

/** The signed-in subscriber's dashboard: lines, and blocking a lost SIM at once. */
export async function accountRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite }: Options) {
  app.addHook('preHandler', requireSubscriber);

  const ownLine = async (request: FastifyRequest<LineParams>, reply: FastifyReply) => {
    const { lineId } = request.params;
    const overview = UUID.test(lineId) ? await app.accountViews.overview(subscriberSession(request)) : null;
    const line = overview?.lines.find((l) => l.id === lineId);
    if (!line) {
      reply.callNotFound();
      return null;
    }
    return line;
  };

  app.get<{ Querystring: { done?: string; line?: string } }>('/account', async (request, reply) => {
    const account = await app.accountViews.overview(subscriberSession(request));
    if (!account) return reply.clearSessionCookie().redirect('/login', 303);
    const { done, line } = request.query;
    const noticed = account.lines.find((l) => l.id === line);
    const notice: AccountNotice | null =
      noticed && (done === 'blocked' || done === 'unblocked') ? { kind: done, msisdn: noticed.msisdn } : null;
    const page = (
      <AccountPage
        ctx={pageContext(request, assets, demo)}
        account={account}
        csrf={reply.csrfToken()}
        notice={notice}
      />
    );
    return sendPage(reply, page);
  });

  app.post<{ Body: { lock?: string } }>('/account/sim-lock', formRoute({ lock: line(8) }), async (request, reply) => {
    const wanted = request.body?.lock;
    if (wanted !== 'on' && wanted !== 'off') return reply.redirect('/account', 303);
    await setSimChangeLock(db, actor(request), wanted === 'on');
    onOutboxWrite();
    return reply.redirect('/account#lock-title', 303);
  });

  app.post<LineParams>('/lines/:lineId/block', formRoute({}), async (request, reply) => {
    const line = await ownLine(request, reply);
    if (!line) return reply;
    const result = await blockLine(db, actor(request), line.id);
    if (!result.ok) return reply.callNotFound();
    if (result.value.changed) onOutboxWrite();
    return reply.redirect(`/account?done=blocked&line=${line.id}`, 303);
  });

  const unblockPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    line: { id: string; msisdn: string },
    errors: FieldErrors,
  ) =>
    sendPage(
      reply,
      <UnblockPage
        ctx={pageContext(request, assets, demo)}
        lineId={line.id}
        msisdn={line.msisdn}
        errors={errors}
        csrf={reply.csrfToken()}
      />,
      Object.keys(errors).length > 0 ? 400 : 200,
    );

  app.get<LineParams>('/lines/:lineId/unblock', async (request, reply) => {
    const line = await ownLine(request, reply);
    if (!line) return reply;
    if (line.status !== 'blocked') return reply.redirect('/account', 303);
    return unblockPage(request, reply, line, {});
  });

  app.post<LineParams & { Body: { password?: string } }>(
    '/lines/:lineId/unblock',
    formRoute({ password: secret }),
    async (request, reply) => {
      const line = await ownLine(request, reply);
      if (!line) return reply;
      const password = request.body?.password ?? '';
      if (!password) return unblockPage(request, reply, line, { password: 'signin.password_missing' });
      const who = actor(request);
      const checked = await reauthenticate(db, {
        ...who,
        sessionId: (request.session as SubscriberSession).id,
        password,
      });
      if (!checked.ok) return unblockPage(request, reply, line, { password: checked.error });
      const result = await unblockLine(db, who, line.id);
      if (!result.ok) return reply.callNotFound();
      if (result.value.changed) onOutboxWrite();
      return reply.redirect(`/account?done=unblocked&line=${line.id}`, 303);
    },
  );
}
