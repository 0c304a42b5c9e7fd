import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { resumeStaffSession, STAFF_IDLE_MINUTES, type StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import type { StaffRole } from '../../db/schema/staff.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The staff session of this browser on this operator's site (verified or half-way), or null. */
    staff: StaffSession | null;
  }
  interface FastifyReply {
    startStaffCookie(token: string): FastifyReply;
    clearStaffCookie(): FastifyReply;
  }
}

export const STAFF_COOKIE = 'staff_sid';
/** The staff cookie is sent only to the staff pages, never to the subscriber portal. */
const cookie = { path: '/staff', httpOnly: true, sameSite: 'strict' as const, secure: 'auto' as const };

/**
 * Staff pages check who may see them in one place: `staffOnly(roles)` lets through a session
 * whose authenticator code was confirmed, of this operator (sessions are looked up per operator,
 * so another operator's staff cookie finds nothing), holding one of `roles` when given, and
 * not still signed in with a password an administrator set.
 */
export function staffOnly(roles: readonly StaffRole[] = []) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = request.staff;
    if (!staff?.verified) {
      if (request.method === 'GET') return reply.redirect('/staff', 303);
      throw Object.assign(new Error('staff sign-in required'), { statusCode: 401 });
    }
    if (staff.passwordChangeRequired && !OPEN_BEFORE_PASSWORD_CHANGE.includes(request.routeOptions.url ?? '')) {
      if (request.method === 'GET') return reply.redirect(PASSWORD_PAGE, 303);
      throw Object.assign(new Error('the password must be changed first'), { statusCode: 403 });
    }
    if (roles.length > 0 && !staff.roles.some((role) => roles.includes(role)))
      throw Object.assign(new Error('not allowed for this role'), { statusCode: 403 });
  };
}

/** Where a member changes their own password. */
export const PASSWORD_PAGE = '/staff/password';
/** All that is open while a password an administrator set must be replaced: changing it, or signing out everywhere. */
const OPEN_BEFORE_PASSWORD_CHANGE = [PASSWORD_PAGE, '/staff/logout/everywhere'];

async function staffSessionPlugin(app: FastifyInstance, { db }: { db: Db }) {
  app.decorateRequest('staff', null);
  app.decorateReply('startStaffCookie', function (this: FastifyReply, token: string) {
    return this.setCookie(STAFF_COOKIE, token, { ...cookie, maxAge: STAFF_IDLE_MINUTES * 60 * 40 });
  });
  app.decorateReply('clearStaffCookie', function (this: FastifyReply) {
    return this.clearCookie(STAFF_COOKIE, cookie);
  });
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[STAFF_COOKIE];
    if (token && request.operator && request.url.startsWith('/staff'))
      request.staff = await resumeStaffSession(db, request.operator.id, token);
  });
}

export const staffSessions = fp(staffSessionPlugin, {
  name: 'staff-session',
  dependencies: ['@fastify/cookie', 'operator'],
});
