import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { counterStock } from '../../app/centers/center-directory.ts';
import { changeStaffPassword } from '../../app/staff/staff-password.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { endAllStaffSessions, endStaffSession, startStaffSession } from '../../app/staff/staff-sessions.ts';
import { checkStaffPassword, confirmTotp, totpEnrolment } from '../../app/staff/staff-sign-in.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../shared/form.tsx';
import { formRoute, line, secret } from '../shared/form-schema.ts';
import { type Enrolment, StaffHomePage, StaffPasswordPage, StaffSignInPage, StaffTotpPage } from './staff-pages.tsx';
import { PASSWORD_PAGE, STAFF_COOKIE, staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; documentKey: Buffer };

/** Staff sign-in at /staff: e-mail and password, then a code from an authenticator app (enrolled on first use). */
export async function staffSignInRoutes(app: FastifyInstance, { assets, demo, db, documentKey }: Options) {
  const client = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] });

  const signInPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    email = '',
    errors: FieldErrors = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      <StaffSignInPage
        ctx={pageContext(request, assets, demo)}
        email={email}
        errors={errors}
        csrf={reply.csrfToken()}
      />,
      status,
    );

  const totpPage = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) => {
    const staff = request.staff;
    if (!staff) return reply.redirect('/staff', 303);
    const state = await totpEnrolment(db, documentKey, staff.staffId);
    const enrolment: Enrolment = state.enrolled
      ? null
      : {
          qr: await QRCode.toDataURL(state.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
          secret: state.secret,
        };
    const ctx = pageContext(request, assets, demo);
    return sendPage(
      reply,
      <StaffTotpPage ctx={ctx} enrolment={enrolment} errors={errors} csrf={reply.csrfToken()} />,
      status,
    );
  };

  app.get('/staff', async (request, reply) => {
    if (request.staff?.verified) return reply.redirect('/staff/home', 303);
    if (request.staff) return reply.redirect('/staff/totp', 303);
    return signInPage(request, reply);
  });

  app.post<{ Body: { email?: string; password?: string } }>(
    '/staff',
    formRoute({ email: line(320), password: secret }),
    async (request, reply) => {
      const email = (request.body?.email ?? '').trim();
      const password = request.body?.password ?? '';
      const errors: FieldErrors = {};
      if (!email) errors.email = 'staff.email_missing';
      if (!password) errors.password = 'signin.password_missing';
      if (Object.keys(errors).length > 0) return signInPage(request, reply, email, errors, 400);
      const checked = await checkStaffPassword(db, {
        operatorId: request.operator.id,
        email,
        password,
        ip: request.ip,
      });
      if (!checked.ok)
        return signInPage(
          request,
          reply,
          email,
          { email: checked.error },
          checked.error === 'auth.invalid' ? 401 : 429,
        );
      const old = request.cookies[STAFF_COOKIE];
      if (old) await endStaffSession(db, old);
      const token = await startStaffSession(
        db,
        { operatorId: request.operator.id, staffId: checked.value.staffId, verified: false },
        client(request),
      );
      return reply.startStaffCookie(token).redirect('/staff/totp', 303);
    },
  );

  app.get('/staff/totp', (request, reply) => {
    if (request.staff?.verified) return reply.redirect('/staff/home', 303);
    return totpPage(request, reply);
  });

  app.post<{ Body: { code?: string } }>('/staff/totp', formRoute({ code: line(32) }), async (request, reply) => {
    const staff = request.staff;
    if (!staff || staff.verified) return reply.redirect('/staff', 303);
    const code = request.body?.code ?? '';
    if (!code.trim()) return totpPage(request, reply, { code: 'staff.totp_missing' }, 400);
    const confirmed = await confirmTotp(db, documentKey, {
      operatorId: staff.operatorId,
      staffId: staff.staffId,
      code,
      ip: request.ip,
    });
    if (!confirmed.ok) return totpPage(request, reply, { code: confirmed.error }, 401);
    await endStaffSession(db, request.cookies[STAFF_COOKIE] ?? '');
    const token = await startStaffSession(
      db,
      { operatorId: staff.operatorId, staffId: staff.staffId, verified: true },
      client(request),
    );
    return reply.startStaffCookie(token).redirect('/staff/home', 303);
  });

  app.get<{ Querystring: { password?: string } }>(
    '/staff/home',
    { preHandler: staffOnly() },
    async (request, reply) => {
      const staff = request.staff;
      if (!staff) return reply.redirect('/staff', 303);
      const stock = staff.centerId ? await counterStock(db, staff.operatorId, staff.centerId) : null;
      const ctx = pageContext(request, assets, demo);
      const changed = request.query.password === 'changed';
      return sendPage(reply, <StaffHomePage ctx={ctx} staff={staff} stock={stock} passwordChanged={changed} />);
    },
  );

  const passwordPage = (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}) =>
    sendPage(
      reply,
      <StaffPasswordPage
        ctx={pageContext(request, assets, demo)}
        staff={request.staff as StaffSession}
        errors={errors}
      />,
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  app.get(PASSWORD_PAGE, { preHandler: staffOnly() }, (request, reply) => passwordPage(request, reply));
  app.post<{ Body: { current?: string; next?: string; repeat?: string } }>(
    PASSWORD_PAGE,
    { ...formRoute({ current: secret, next: secret, repeat: secret }), preHandler: staffOnly() },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const changed = await changeStaffPassword(
        db,
        { operatorId: staff.operatorId, staffId: staff.staffId, sessionId: staff.id, ip: request.ip },
        { current: request.body.current ?? '', next: request.body.next ?? '', repeat: request.body.repeat ?? '' },
      );
      if (!changed.ok) return passwordPage(request, reply, changed.error);
      return reply.redirect('/staff/home?password=changed', 303);
    },
  );

  app.post('/staff/logout', formRoute({}), async (request, reply) => {
    const token = request.cookies[STAFF_COOKIE];
    if (token) await endStaffSession(db, token);
    return reply.clearStaffCookie().redirect('/staff', 303);
  });

  app.post('/staff/logout/everywhere', { ...formRoute({}), preHandler: staffOnly() }, async (request, reply) => {
    if (request.staff) await endAllStaffSessions(db, request.staff.staffId);
    return reply.clearStaffCookie().redirect('/staff', 303);
  });
}
