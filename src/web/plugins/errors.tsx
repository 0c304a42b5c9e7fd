import type { FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../../db/conflicts.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import {
  BadRequestPage,
  ExpiredFormPage,
  ForbiddenPage,
  NotFoundPage,
  ServerErrorPage,
  UnavailablePage,
} from '../shared/error-page.tsx';

const wantsHtml = (accept: string | undefined) => !accept || accept.includes('text/html') || accept.includes('*/*');

/** A database outage (failover, restart) lasts seconds: the browser or client may try again soon. */
export const RETRY_AFTER_SECONDS = 5;

/** Errors of the body parsers (busboy, the JSON and form parsers) that mean a malformed body. */
const MALFORMED_BODY =
  /^(Unexpected end of (form|JSON input|multipart data)|Malformed part header|Multipart: Boundary not found)/;

const statusOf = (error: Error & { statusCode?: number }) => {
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
  if (isDatabaseUnavailable(error)) return 503;
  return MALFORMED_BODY.test(error.message) ? 400 : 500;
};

/** Translated 404 and 500 pages (JSON for API clients); 5xx details go to the log, never to the page. */
export function registerErrorPages(app: FastifyInstance, { assets, demo }: { assets: Assets; demo: boolean }) {
  app.setNotFoundHandler(async (request, reply) => {
    if (!wantsHtml(request.headers.accept)) return reply.status(404).send({ error: 'not_found' });
    return sendPage(reply, <NotFoundPage ctx={pageContext(request, assets, demo)} />, 404);
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code?.startsWith('FST_CSRF_') && wantsHtml(request.headers.accept)) {
      request.log.info({ err: error }, 'form without a valid CSRF token');
      return sendPage(reply, <ExpiredFormPage ctx={pageContext(request, assets, demo)} />, 403);
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
