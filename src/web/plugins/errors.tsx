import type { FastifyInstance } from 'fastify';
import { type Assets, pageContext, sendPage } from '../render.ts';
import {
  BadRequestPage,
  ExpiredFormPage,
  ForbiddenPage,
  NotFoundPage,
  ServerErrorPage,
} from '../shared/error-page.tsx';

const wantsHtml = (accept: string | undefined) => !accept || accept.includes('text/html') || accept.includes('*/*');

/** Errors of the body parsers (busboy, the JSON and form parsers) that mean a malformed body. */
const MALFORMED_BODY =
  /^(Unexpected end of (form|JSON input|multipart data)|Malformed part header|Multipart: Boundary not found)/;

const statusOf = (error: Error & { statusCode?: number }) => {
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
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
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ err: error }, 'bad request');
    if (!wantsHtml(request.headers.accept)) {
      return reply.status(status).send({ error: status >= 500 ? 'internal' : error.message, requestId: request.id });
    }
    const ctx = pageContext(request, assets, demo);
    if (status === 401 || status === 403) return sendPage(reply, <ForbiddenPage ctx={ctx} />, status);
    if (status < 500) return sendPage(reply, <BadRequestPage ctx={ctx} />, status);
    return sendPage(reply, <ServerErrorPage ctx={pageContext(request, assets, demo)} requestId={request.id} />, 500);
  });
}
