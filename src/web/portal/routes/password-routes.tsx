import type { FastifyInstance } from 'fastify';
import {
  askPasswordReset,
  exchangeResetCode,
  RESET_LINK_MINUTES,
  resetPassword,
  validResetToken,
} from '../../../app/auth/password-reset.ts';
import type { Db } from '../../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { formRoute, line, secret } from '../../shared/form-schema.ts';
import {
  ForgotPasswordPage,
  NewPasswordPage,
  ResetCodePage,
  ResetLinkInvalidPage,
  ResetLinkSentPage,
} from '../views/password-pages.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; onOutboxWrite: () => void };
type TokenParams = { Params: { token: string } };

/**
 * Forgotten password: a single-use link to the registered e-mail, or a code by SMS to the bound
 * second phone that is traded for such a link; then a new password.
 */
export async function passwordRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite }: Options) {
  app.get('/password/forgot', async (request, reply) => {
    const ctx = pageContext(request, assets, demo);
    const page = <ForgotPasswordPage ctx={ctx} errors={{}} csrf={reply.csrfToken()} phone="" channel="email" />;
    return sendPage(reply, page);
  });

  app.post<{ Body: { phone?: string; channel?: string } }>(
    '/password/forgot',
    formRoute({ phone: line(64), channel: line(8) }),
    async (request, reply) => {
      const phone = (request.body?.phone ?? '').trim();
      const channel = request.body?.channel ?? '';
      const ctx = pageContext(request, assets, demo);
      const errors: FieldErrors = {};
      if (!phone) errors.phone = 'signin.phone_missing';
      if (channel !== 'email' && channel !== 'sms') errors.channel = 'forgot.channel_missing';
      if (!phone || (channel !== 'email' && channel !== 'sms')) {
        const page = (
          <ForgotPasswordPage ctx={ctx} errors={errors} csrf={reply.csrfToken()} phone={phone} channel={channel} />
        );
        return sendPage(reply, page, 400);
      }
      await askPasswordReset(db, { operatorId: request.operator.id, phone, channel, ip: request.ip });
      onOutboxWrite();
      if (channel === 'sms') {
        const page = (
          <ResetCodePage ctx={ctx} errors={{}} csrf={reply.csrfToken()} phone={phone} minutes={RESET_LINK_MINUTES} />
        );
        return sendPage(reply, page);
      }
      return sendPage(reply, <ResetLinkSentPage ctx={ctx} minutes={RESET_LINK_MINUTES} />);
    },
  );

  app.post<{ Body: { phone?: string; code?: string } }>(
    '/password/code',
    formRoute({ phone: line(64), code: line(32) }),
    async (request, reply) => {
      const phone = request.body?.phone ?? '';
      const code = (request.body?.code ?? '').trim();
      const token = code
        ? await exchangeResetCode(db, { operatorId: request.operator.id, phone, code, ip: request.ip })
        : null;
      if (token) return reply.redirect(`/password/reset/${token}`, 303);
      const errors: FieldErrors = { code: code ? 'code.wrong' : 'code.code_missing' };
      const page = (
        <ResetCodePage
          ctx={pageContext(request, assets, demo)}
          errors={errors}
          csrf={reply.csrfToken()}
          phone={phone}
          minutes={RESET_LINK_MINUTES}
        />
      );
      return sendPage(reply, page, 400);
    },
  );

  app.get<TokenParams>('/password/reset/:token', async (request, reply) => {
    const ctx = pageContext(request, assets, demo);
    const { token } = request.params;
    if (!(await validResetToken(db, request.operator.id, token))) {
      return sendPage(reply, <ResetLinkInvalidPage ctx={ctx} />, 410);
    }
    return sendPage(reply, <NewPasswordPage ctx={ctx} errors={{}} csrf={reply.csrfToken()} token={token} />);
  });

  app.post<TokenParams & { Body: { password?: string; confirm?: string } }>(
    '/password/reset/:token',
    formRoute({ password: secret, confirm: secret }),
    async (request, reply) => {
      const ctx = pageContext(request, assets, demo);
      const { token } = request.params;
      const password = request.body?.password ?? '';
      const errors: FieldErrors = {};
      if (!password) errors.password = 'signin.password_missing';
      else if (password !== (request.body?.confirm ?? '')) errors.confirm = 'reset.mismatch';
      if (!errors.password && !errors.confirm) {
        const result = await resetPassword(db, { operator: request.operator, token, password, ip: request.ip });
        if (result.ok) {
          onOutboxWrite();
          return reply.redirect('/login?reset=done', 303);
        }
        if (result.error === 'reset.invalid') return sendPage(reply, <ResetLinkInvalidPage ctx={ctx} />, 410);
        errors.password = result.error;
      }
      const page = <NewPasswordPage ctx={ctx} errors={errors} csrf={reply.csrfToken()} token={token} />;
      return sendPage(reply, page, 400);
    },
  );
}
