import { timingSafeEqual } from 'node:crypto';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type {} from '../staff/staff-session.ts';
import { ANONYMOUS_CSRF_COOKIE } from './session.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** The token every form of this page carries (`_csrf`). */
    csrfToken(): string;
  }
  interface FastifyContextConfig {
    /** False for machine-to-machine endpoints authenticated otherwise (signed webhooks). */
    csrf?: boolean;
  }
}

const given = (request: FastifyRequest): string | undefined => {
  const field = (request.body as Record<string, unknown> | undefined)?._csrf;
  return typeof field === 'string' ? field : undefined;
};

/** Whether a token typed into a form is the session's, compared in constant time. */
export const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * CSRF tokens on every form. Signed in, the token is the session's own secret (stored with the
 * session, new at every sign-in), so a token is good for exactly one session: neither another
 * person's token nor one picked up before signing in is accepted. Before signing in, forms carry
 * a double-submit token bound to a signed cookie (@fastify/csrf-protection).
 */
async function csrf(app: FastifyInstance) {
  await app.register(fastifyCsrf, {
    cookieKey: ANONYMOUS_CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', signed: true },
  });
  app.decorateReply('csrfToken', function (this: FastifyReply) {
    return this.request.staff?.csrfToken ?? this.request.session?.csrfToken ?? this.generateCsrf();
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' || request.routeOptions.config.csrf === false) return done();
    const session = request.staff ?? request.session;
    if (!session) return app.csrfProtection(request, reply, done);
    const token = given(request);
    if (token && sameToken(token, session.csrfToken)) return done();
    done(Object.assign(new Error('Invalid csrf token'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 }));
  });
}

export const csrfPlugin = fp(csrf, { name: 'csrf', dependencies: ['session', 'staff-session'] });
