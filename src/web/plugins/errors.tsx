import type { FastifyInstance } from 'fastify';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { ExpiredFormPage, NotFoundPage, ServerErrorPage } from '../shared/error-page.tsx';

const wantsHtml = (accept: string | undefined) => !accept || accept.includes('text/html') || accept.includes('*/*');

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
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ err: error }, 'bad request');
    if (!wantsHtml(request.headers.accept) || status < 500) {
      return reply.status(status).send({ error: status >= 500 ? 'internal' : error.message, requestId: request.id });
    }
    return sendPage(reply, <ServerErrorPage ctx={pageContext(request, assets, demo)} requestId={request.id} />, 500);
  });
}
