import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { DEFAULT_LOCALE, translator } from '../i18n/translate.ts';
import type { PageContext } from './shared/page-context.ts';

export type Assets = PageContext['assets'];

export function pageContext(request: FastifyRequest, assets: Assets, demo: boolean): PageContext {
  return {
    t: request.t ?? translator(DEFAULT_LOCALE),
    locale: request.locale ?? DEFAULT_LOCALE,
    operator: request.operator ?? null,
    path: request.url,
    demo,
    signedIn: Boolean(request.session),
    assets,
  };
}

/** Sends a server-rendered page; preact escapes every interpolated value. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}
