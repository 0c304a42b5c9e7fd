import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { IDLE_MINUTES, type SubscriberSession, sessionStore } from '../../app/auth/sessions.ts';
import type { Database } from '../../db/client.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in subscriber's session, or null. */
    session: SubscriberSession | null;
  }
  interface FastifyReply {
    startSessionCookie(token: string): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

export const SESSION_COOKIE = 'sid';
/** @fastify/csrf-protection's cookie, holding the secret of forms shown before signing in. */
export const ANONYMOUS_CSRF_COOKIE = '_csrf';

/** Page handlers that need a signed-in subscriber: others are sent to sign in and brought back. */
export async function requireSubscriber(request: FastifyRequest, reply: FastifyReply) {
  if (!request.session) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

async function sessionPlugin(app: FastifyInstance, options: { database: Database }) {
  const store = await sessionStore(options.database);
  app.addHook('onClose', () => store.close());
  // Secure whenever the request came over HTTPS, directly or through a proxy trusted by TRUST_PROXY.
  const cookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: 'auto' as const };
  app.decorateRequest('session', null);
  // Signing in or out also drops the anonymous CSRF secret, so no token from before survives it.
  app.decorateReply('startSessionCookie', function (this: FastifyReply, token: string) {
    return this.clearCookie(ANONYMOUS_CSRF_COOKIE, { path: '/' }).setCookie(SESSION_COOKIE, token, {
      ...cookie,
      maxAge: IDLE_MINUTES * 60 * 24,
    });
  });
  app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
    return this.clearCookie(ANONYMOUS_CSRF_COOKIE, { path: '/' }).clearCookie(SESSION_COOKIE, cookie);
  });
  // Most calls (the APIs, the assets) carry no session cookie: they pass without a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !request.operator) return done();
    store.resume(request.operator.id, token).then((session) => {
      request.session = session;
      done();
    }, done);
  });
}

export const sessions = fp(sessionPlugin, { name: 'session', dependencies: ['@fastify/cookie', 'operator'] });
