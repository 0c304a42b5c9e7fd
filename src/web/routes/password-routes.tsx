import type { FastifyInstance } from 'fastify';
import {
  RESET_LINK_MINUTES,
  requestPasswordReset,
  resetPassword,
  validResetToken,
} from '../../app/auth/password-reset.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../views/form.tsx';
import {
  ForgotPasswordPage,
  NewPasswordPage,
  ResetLinkInvalidPage,
  ResetLinkSentPage,
} from '../views/password-pages.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; publicUrl: string; onOutboxWrite: () => void };
type TokenParams = { Params: { token: string } };

/** Forgotten password: a single-use link to the registered e-mail, then a new password. */
export async function passwordRoutes(app: FastifyInstance, { assets, demo, db, publicUrl, onOutboxWrite }: Options) {
  app.get('/password/forgot', async (request, reply) =>
    sendPage(
      reply,
      <ForgotPasswordPage ctx={pageContext(request, assets, demo)} errors={{}} csrf={reply.generateCsrf()} phone="" />,
    ),
  );

  app.post<{ Body: { phone?: string } }>('/password/forgot', async (request, reply) => {
    const phone = (request.body?.phone ?? '').trim();
    const ctx = pageContext(request, assets, demo);
    if (!phone) {
      const errors: FieldErrors = { phone: 'signin.phone_missing' };
      return sendPage(
        reply,
        <ForgotPasswordPage ctx={ctx} errors={errors} csrf={reply.generateCsrf()} phone="" />,
        400,
      );
    }
    await requestPasswordReset(db, { operator: request.operator, phone, ip: request.ip, publicUrl });
    onOutboxWrite();
    return sendPage(reply, <ResetLinkSentPage ctx={ctx} minutes={RESET_LINK_MINUTES} />);
  });

  app.get<TokenParams>('/password/reset/:token', async (request, reply) => {
    const ctx = pageContext(request, assets, demo);
    const { token } = request.params;
    if (!(await validResetToken(db, request.operator.id, token))) {
      return sendPage(reply, <ResetLinkInvalidPage ctx={ctx} />, 410);
    }
    return sendPage(reply, <NewPasswordPage ctx={ctx} errors={{}} csrf={reply.generateCsrf()} token={token} />);
  });

  app.post<TokenParams & { Body: { password?: string; confirm?: string } }>(
    '/password/reset/:token',
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
      const page = <NewPasswordPage ctx={ctx} errors={errors} csrf={reply.generateCsrf()} token={token} />;
      return sendPage(reply, page, 400);
    },
  );
}
