import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isBadInputValue, isDatabaseUnavailable } from '../../db/conflicts.ts';
import { camaraError, camaraErrorHandler } from '../api/camara-errors.ts';
import { oauthError, oauthErrorHandler } from '../api/oauth-routes.ts';
import { sendProblem } from '../api/v1/problems.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import {
  BadRequestPage,
  ExpiredFormPage,
  ForbiddenPage,
  NotFoundPage,
  NotSetUpPage,
  ServerErrorPage,
  UnavailablePage,
} from '../shared/error-page.tsx';
import { RETRY_AFTER_SECONDS } from '../shared/retry-after.ts';
import { NotSetUp } from './operator.ts';

/** Paths of an API with its own error format: they never answer with a page. */
const apiOf = (url: string) =>
  url.startsWith('/api/v1/')
    ? 'rest'
    : url.startsWith('/oauth/')
      ? 'oauth'
      : /^\/sim-swap(?:-subscriptions)?\//.test(url)
        ? 'camara'
        : null;

/**
 * An address the router cannot read (broken percent-encoding, a parameter longer than the
 * router keeps), refused before any hook runs: in the API's own format on API paths.
 */
export function badAddress(error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400;
  const api = apiOf(request.url);
  if (api === 'rest')
    return sendProblem(request, reply, status, status === 414 ? 'uri-too-long' : 'bad-url', error.message);
  if (api === 'camara') return camaraError(request, reply, 'INVALID_ARGUMENT');
  if (api === 'oauth') return oauthError(reply, 400, 'invalid_request', 'The address cannot be read.');
  return reply
    .status(status)
    .type('text/plain; charset=utf-8')
    .send(status === 414 ? 'URI Too Long' : 'Bad Request');
}

const wantsHtml = (accept: string | undefined) => !accept || accept.includes('text/html') || accept.includes('*/*');

/** Errors of the body parsers (busboy, the JSON and form parsers) that mean a malformed body. */
const MALFORMED_BODY =
  /^(Unexpected end of (form|JSON input|multipart data)|Malformed part header|Multipart: Boundary not found)/;

const statusOf = (error: Error & { statusCode?: number }) => {
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
  if (isDatabaseUnavailable(error)) return 503;
  return MALFORMED_BODY.test(error.message) || isBadInputValue(error) ? 400 : 500;
};

/** Translated 404 and 500 pages (JSON for API clients); 5xx details go to the log, never to the page. */
export function registerErrorPages(app: FastifyInstance, { assets, demo }: { assets: Assets; demo: boolean }) {
  app.setNotFoundHandler(async (request, reply) => {
    const api = apiOf(request.url);
    if (api === 'camara') return camaraError(request, reply, 'NOT_FOUND');
    if (api === 'oauth') return oauthError(reply, 404, 'invalid_request', 'No such endpoint.');
    if (!wantsHtml(request.headers.accept)) return reply.status(404).send({ error: 'not_found' });
    return sendPage(reply, <NotFoundPage ctx={pageContext(request, assets, demo)} />, 404);
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const api = apiOf(request.url);
    if (api === 'camara') return camaraErrorHandler(error, request, reply);
    if (api === 'oauth') return oauthErrorHandler(error, request, reply);
    if (error.code?.startsWith('FST_CSRF_') && wantsHtml(request.headers.accept)) {
      request.log.info({ err: error }, 'form without a valid CSRF token');
      return sendPage(reply, <ExpiredFormPage ctx={pageContext(request, assets, demo)} />, 403);
    }
    if (error instanceof NotSetUp) {
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      if (!wantsHtml(request.headers.accept))
        return reply.status(503).send({ error: 'not_set_up', detail: error.message });
      return sendPage(reply, <NotSetUpPage ctx={pageContext(request, assets, demo)} />, 503);
    }
    const status = statusOf(error);
    if (status === 503) reply.header('retry-after', RETRY_AFTER_SECONDS);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ err: error }, 'bad request');
    if (!wantsHtml(request.headers.accept)) {
      const code = status === 503 ? 'unavailable' : status >= 500 ? 'internal' : error.message;
      return reply.status(status).send({ error: code, requestId: request.id });
    }
    const ctx = pageContext(request, assets, demo);
    if (status === 401 || status === 403) return sendPage(reply, <ForbiddenPage ctx={ctx} />, status);
    if (status < 500) return sendPage(reply, <BadRequestPage ctx={ctx} />, status);
    if (status === 503) return sendPage(reply, <UnavailablePage ctx={ctx} />, 503);
    return sendPage(reply, <ServerErrorPage ctx={ctx} requestId={request.id} />, 500);
  });
}
