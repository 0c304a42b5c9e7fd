import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { reauthenticate } from '../../../app/auth/reauthenticate.ts';
import type { SubscriberSession } from '../../../app/auth/sessions.ts';
import type { Links } from '../../../app/operators/links.ts';
import {
  type ActivationError,
  activateDeliveredSim,
  activateEsim,
  type OnHold,
  revealEsimCode,
} from '../../../app/requests/activation.ts';
import type { SubscriberActor } from '../../../app/requests/replacement-draft.ts';
import type { Db } from '../../../db/client.ts';
import { formatDateTime } from '../../../i18n/translate.ts';
import { requireSubscriber } from '../../plugins/session.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { formRoute, line, secret } from '../../shared/form-schema.ts';
import { ActivatePage, EsimCodePage, EsimPasswordPage } from '../views/activation-pages.tsx';
import { subscriberSession } from './subscriber-context.ts';

type Options = { assets: Assets; demo: boolean; db: Db; onOutboxWrite: () => void; links: Links };
type Route = { Params: { requestId: string }; Body: Record<string, string | undefined> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Switching the number to the new SIM: the ICCID of a delivered card, or the eSIM code shown once. */
export async function activationRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite, links }: Options) {
  app.addHook('onRequest', requireSubscriber);

  const actor = (request: FastifyRequest): SubscriberActor => {
    const session = request.session as SubscriberSession;
    return { operatorId: session.operatorId, accountId: session.accountId, ip: request.ip };
  };
  const own = async (request: FastifyRequest<Route>) =>
    UUID.test(request.params.requestId)
      ? app.accountViews.request(subscriberSession(request), request.params.requestId)
      : null;

  /** A refusal as a field error where it concerns what was typed, else as a note. */
  const explain = (request: FastifyRequest, error: ActivationError | OnHold, field: string) => {
    if (typeof error === 'object') {
      const ctx = pageContext(request, assets, demo);
      const at = formatDateTime(ctx.locale, error.hold, ctx.operator?.timeZone ?? 'Europe/Moscow');
      return { errors: {}, note: request.t('activation.on_hold', { at }) };
    }
    if (error.startsWith('iccid.') || error === 'activation.wrong_sim')
      return { errors: { [field]: error } as FieldErrors, note: null };
    return { errors: {}, note: request.t(error === 'request.not_found' ? 'activation.not_ready' : error) };
  };

  const activatePage = (
    request: FastifyRequest<Route>,
    reply: FastifyReply,
    requestId: string,
    problem: { errors: FieldErrors; note: string | null } = { errors: {}, note: null },
  ) =>
    sendPage(
      reply,
      <ActivatePage
        ctx={pageContext(request, assets, demo)}
        requestId={requestId}
        csrf={reply.csrfToken()}
        iccid={request.body?.iccid ?? ''}
        {...problem}
      />,
      Object.keys(problem.errors).length > 0 || problem.note ? 400 : 200,
    );

  app.get<Route>('/requests/:requestId/activate', async (request, reply) => {
    const found = await own(request);
    if (!found) return reply.callNotFound();
    if (found.request.status !== 'delivered') return reply.redirect(`/requests/${found.request.id}`, 303);
    return activatePage(request, reply, found.request.id);
  });

  app.post<Route>('/requests/:requestId/activate', formRoute({ iccid: line(64) }), async (request, reply) => {
    const found = await own(request);
    if (!found) return reply.callNotFound();
    const done = await activateDeliveredSim(db, links, actor(request), found.request.id, request.body?.iccid ?? '');
    if (!done.ok) return activatePage(request, reply, found.request.id, explain(request, done.error, 'iccid'));
    onOutboxWrite();
    return reply.redirect(`/requests/${found.request.id}`, 303);
  });

  const esimPage = (
    request: FastifyRequest<Route>,
    reply: FastifyReply,
    requestId: string,
    shown: boolean,
    problem: { errors: FieldErrors; note: string | null } = { errors: {}, note: null },
  ) =>
    sendPage(
      reply,
      <EsimPasswordPage
        ctx={pageContext(request, assets, demo)}
        requestId={requestId}
        csrf={reply.csrfToken()}
        shown={shown}
        {...problem}
      />,
      Object.keys(problem.errors).length > 0 || problem.note ? 400 : 200,
    );

  app.get<Route>('/requests/:requestId/esim', async (request, reply) => {
    const found = await own(request);
    if (!found) return reply.callNotFound();
    const { request: r } = found;
    if (r.delivery !== 'esim' || r.status !== 'sim_assigned') return reply.redirect(`/requests/${r.id}`, 303);
    return esimPage(request, reply, r.id, r.activationCodeShownAt !== null);
  });

  app.post<Route>('/requests/:requestId/esim', formRoute({ password: secret }), async (request, reply) => {
    const found = await own(request);
    if (!found) return reply.callNotFound();
    const requestId = found.request.id;
    const password = request.body?.password ?? '';
    if (!password)
      return esimPage(request, reply, requestId, false, {
        errors: { password: 'signin.password_missing' },
        note: null,
      });
    const checked = await reauthenticate(db, {
      ...actor(request),
      sessionId: (request.session as SubscriberSession).id,
      password,
    });
    if (!checked.ok)
      return esimPage(request, reply, requestId, false, { errors: { password: checked.error }, note: null });
    const revealed = await revealEsimCode(db, actor(request), requestId);
    if (!revealed.ok) {
      const shown = revealed.error === 'activation.already_shown';
      return esimPage(
        request,
        reply,
        requestId,
        shown,
        shown ? undefined : explain(request, revealed.error, 'password'),
      );
    }
    const qr = await QRCode.toDataURL(revealed.value.code, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
    const page = (
      <EsimCodePage
        ctx={pageContext(request, assets, demo)}
        requestId={requestId}
        csrf={reply.csrfToken()}
        code={revealed.value.code}
        qr={qr}
      />
    );
    return sendPage(reply, page);
  });

  app.post<Route>('/requests/:requestId/esim/activate', formRoute({}), async (request, reply) => {
    const found = await own(request);
    if (!found) return reply.callNotFound();
    const done = await activateEsim(db, links, actor(request), found.request.id);
    if (!done.ok) return esimPage(request, reply, found.request.id, true, explain(request, done.error, 'password'));
    onOutboxWrite();
    return reply.redirect(`/requests/${found.request.id}`, 303);
  });
}
