import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountContacts,
  type Contact,
  confirmContactChange,
  type SettingsActor,
  setLanguage,
  startContactChange,
} from '../../../app/accounts/account-settings.ts';
import type { SubscriberSession } from '../../../app/auth/sessions.ts';
import type { Db } from '../../../db/client.ts';
import { isLocale } from '../../../i18n/translate.ts';
import { LOCALE_COOKIE, LOCALE_COOKIE_OPTIONS } from '../../plugins/i18n.ts';
import { requireSubscriber } from '../../plugins/session.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { formRoute, line, secret } from '../../shared/form-schema.ts';
import { ContactCodePage, type SettingsForm, SettingsPage } from '../views/settings-page.tsx';

type Options = { assets: Assets; demo: boolean; db: Db; onOutboxWrite: () => void };
type Body = Record<string, string | undefined>;
type FormRoute = { Params: { form: string }; Body: Body };

const FORMS: Record<SettingsForm, Contact> = { email: 'email', phone: 'phone' };
const formOf = (name: string): SettingsForm | null => (name === 'email' || name === 'phone' ? name : null);

/** The subscriber's settings: language, and e-mail and second phone changed only with a code. */
export async function settingsRoutes(app: FastifyInstance, { assets, demo, db, onOutboxWrite }: Options) {
  app.addHook('onRequest', requireSubscriber);

  const actor = (request: FastifyRequest): SettingsActor => {
    const session = request.session as SubscriberSession;
    return { operatorId: session.operatorId, accountId: session.accountId, sessionId: session.id, ip: request.ip };
  };

  const settingsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refused: { form: SettingsForm; errors: FieldErrors; value: string } | null,
    done: 'language' | 'email' | 'phone' | null = null,
  ) => {
    const account = await accountContacts(db, actor(request));
    if (!account) return reply.clearSessionCookie().redirect('/login', 303);
    const page = (
      <SettingsPage
        ctx={pageContext(request, assets, demo)}
        csrf={reply.csrfToken()}
        account={account}
        refused={refused}
        done={done}
      />
    );
    return sendPage(reply, page, refused ? 400 : 200);
  };

  app.get<{ Querystring: { done?: string } }>('/account/settings', (request, reply) => {
    const done = request.query.done;
    return settingsPage(
      request,
      reply,
      null,
      done === 'language' || done === 'email' || done === 'phone' ? done : null,
    );
  });

  app.post<{ Body: Body }>('/account/settings/language', formRoute({ locale: line(8) }), async (request, reply) => {
    const locale = request.body?.locale;
    if (!isLocale(locale)) return reply.redirect('/account/settings', 303);
    await setLanguage(db, actor(request), locale);
    return reply
      .setCookie(LOCALE_COOKIE, locale, LOCALE_COOKIE_OPTIONS)
      .redirect('/account/settings?done=language', 303);
  });

  app.post<FormRoute>(
    '/account/settings/:form',
    formRoute({ email: line(320), phone: line(64), password: secret }),
    async (request, reply) => {
      const form = formOf(request.params.form);
      if (!form) return reply.callNotFound();
      const field = form === 'email' ? 'email' : 'phone';
      const value = request.body?.[field] ?? '';
      const password = request.body?.password ?? '';
      if (!password)
        return settingsPage(request, reply, { form, errors: { password: 'signin.password_missing' }, value });
      const started = await startContactChange(db, actor(request), { contact: FORMS[form], value, password });
      if (!started.ok) {
        const on = started.error.startsWith('auth.') ? 'password' : field;
        return settingsPage(request, reply, { form, errors: { [on]: started.error }, value });
      }
      onOutboxWrite();
      return reply.redirect(`/account/settings/${form}/confirm`, 303);
    },
  );

  const codePage = (request: FastifyRequest, reply: FastifyReply, form: SettingsForm, errors: FieldErrors) =>
    sendPage(
      reply,
      <ContactCodePage ctx={pageContext(request, assets, demo)} csrf={reply.csrfToken()} form={form} errors={errors} />,
      Object.keys(errors).length > 0 ? 400 : 200,
    );

  app.get<FormRoute>('/account/settings/:form/confirm', (request, reply) => {
    const form = formOf(request.params.form);
    return form ? codePage(request, reply, form, {}) : reply.callNotFound();
  });

  app.post<FormRoute>('/account/settings/:form/confirm', formRoute({ code: line(32) }), async (request, reply) => {
    const form = formOf(request.params.form);
    if (!form) return reply.callNotFound();
    const confirmed = await confirmContactChange(db, actor(request), {
      contact: FORMS[form],
      code: request.body?.code ?? '',
    });
    if (!confirmed.ok) return codePage(request, reply, form, { code: confirmed.error });
    onOutboxWrite();
    return reply.redirect(`/account/settings?done=${form}`, 303);
  });
}
