import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Negotiator from 'negotiator';
import { isLocale, type Locale, negotiateLocale, type Translate, translator } from '../../i18n/translate.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

export const LOCALE_COOKIE = 'lang';
const YEAR_SECONDS = 365 * 24 * 3600;
/** How the chosen language is remembered in the browser. */
export const LOCALE_COOKIE_OPTIONS = {
  path: '/',
  maxAge: YEAR_SECONDS,
  sameSite: 'lax',
  httpOnly: true,
  secure: 'auto',
} as const;

/** Browsers send a handful of distinct Accept-Language headers: each is negotiated once. */
const negotiated = new Map<string, Locale>();
const NEGOTIATED_MAX = 1_000;

function fromAcceptLanguage(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'] ?? '';
  let locale = negotiated.get(header);
  if (locale === undefined) {
    locale = negotiateLocale(new Negotiator(request).languages());
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
    negotiated.set(header, locale);
  }
  return locale;
}

/** Query `?lang=`, then the remembered cookie, then Accept-Language. */
function pickLocale(request: FastifyRequest): Locale {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLocale(query)) return query;
  const cookie = request.cookies[LOCALE_COOKIE];
  if (isLocale(cookie)) return cookie;
  return fromAcceptLanguage(request);
}

async function i18n(app: FastifyInstance) {
  app.decorateRequest('locale', 'ru');
  app.decorateRequest('t', null as unknown as Translate);
  app.addHook('onRequest', (request, _reply, done) => {
    request.locale = pickLocale(request);
    request.t = translator(request.locale);
    done();
  });

  app.get<{ Params: { locale: string }; Querystring: { next?: string } }>('/lang/:locale', async (request, reply) => {
    const { locale } = request.params;
    if (!isLocale(locale)) return reply.callNotFound();
    reply.setCookie(LOCALE_COOKIE, locale, LOCALE_COOKIE_OPTIONS);
    return reply.redirect(app.returnPath(request.query.next), 303);
  });
}

export const i18nPlugin = fp(i18n, { name: 'i18n', dependencies: ['@fastify/cookie', 'return-paths'] });
