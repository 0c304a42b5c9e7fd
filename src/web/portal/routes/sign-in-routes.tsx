import type { FastifyInstance } from 'fastify';
import { endAllSessions, endSession, startSession } from '../../../app/auth/sessions.ts';
import { signIn } from '../../../app/auth/sign-in.ts';
import type { Db } from '../../../db/client.ts';
import { isLocale } from '../../../i18n/translate.ts';
import { LOCALE_COOKIE, LOCALE_COOKIE_OPTIONS } from '../../plugins/i18n.ts';
import { SESSION_COOKIE } from '../../plugins/session.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { formRoute, line, returnTo, secret } from '../../shared/form-schema.ts';
import { SignInPage } from '../views/sign-in-page.tsx';

type SignInBody = { phone?: string; password?: string; next?: string };
type Options = { assets: Assets; demo: boolean; db: Db };

/** Sign in with a number and password, sign out here or everywhere. */
export async function signInRoutes(app: FastifyInstance, { assets, demo, db }: Options) {
  app.get<{ Querystring: { next?: string; reset?: string } }>('/login', async (request, reply) => {
    const next = app.returnPath(request.query.next);
    if (request.session) return reply.redirect(next, 303);
    const page = (
      <SignInPage
        ctx={pageContext(request, assets, demo)}
        form={{ phone: '', next, passwordWasReset: request.query.reset === 'done' }}
        errors={{}}
        csrf={reply.csrfToken()}
      />
    );
    return sendPage(reply, page);
  });

  app.post<{ Body: SignInBody }>(
    '/login',
    formRoute({ phone: line(64), password: secret, next: returnTo }),
    async (request, reply) => {
      const phone = (request.body?.phone ?? '').trim();
      const password = request.body?.password ?? '';
      const next = app.returnPath(request.body?.next);
      const errors: FieldErrors = {};
      if (!phone) errors.phone = 'signin.phone_missing';
      if (!password) errors.password = 'signin.password_missing';
      let status = 400;
      if (phone && password) {
        const result = await signIn(db, { operatorId: request.operator.id, phone, password, ip: request.ip });
        if (result.ok) {
          const old = request.cookies[SESSION_COOKIE];
          if (old) await endSession(db, old);
          const token = await startSession(
            db,
            { operatorId: request.operator.id, accountId: result.value.accountId },
            { ip: request.ip, userAgent: request.headers['user-agent'] },
          );
          // The account's language, unless the person chose one on this device.
          if (!isLocale(request.cookies[LOCALE_COOKIE]))
            reply.setCookie(LOCALE_COOKIE, result.value.locale, LOCALE_COOKIE_OPTIONS);
          return reply.startSessionCookie(token).redirect(next, 303);
        }
        errors.phone = result.error;
        status = result.error === 'auth.invalid' ? 401 : 429;
      }
      const page = (
        <SignInPage
          ctx={pageContext(request, assets, demo)}
          form={{ phone, next }}
          errors={errors}
          csrf={reply.csrfToken()}
        />
      );
      return sendPage(reply, page, status);
    },
  );

  app.post('/logout', formRoute({}), async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    return reply.clearSessionCookie().redirect('/', 303);
  });

  app.post('/logout/everywhere', formRoute({}), async (request, reply) => {
    if (request.session) await endAllSessions(db, request.session.accountId);
    return reply.clearSessionCookie().redirect('/', 303);
  });
}
