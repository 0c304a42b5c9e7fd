import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { SubscriberSession } from '../../../app/auth/sessions.ts';
import {
  accountVisitor,
  bookVisit,
  type CenterSlots,
  cancelVisit,
  centerSlots,
  confirmVisit,
  moveVisit,
  requestVisit,
  type VisitContact,
  type VisitError,
  visitByToken,
} from '../../../app/centers/visits.ts';
import { takeAllowance } from '../../../app/limits/allowances.ts';
import type { Links } from '../../../app/operators/links.ts';
import type { Db } from '../../../db/client.ts';
import { parseMsisdn } from '../../../domain/msisdn.ts';
import { err } from '../../../domain/result.ts';
import type { MessageKey } from '../../../i18n/translate.ts';
import { type Assets, pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { formRoute, line } from '../../shared/form-schema.ts';
import { type BookForm, BookVisitPage, VisitCodePage, VisitPage } from '../views/visit-pages.tsx';
import { UUID } from './subscriber-context.ts';

type Options = { assets: Assets; demo: boolean; db: Db; links: Links; onOutboxWrite: () => void; now: () => Date };
type BookRoute = { Params: { code: string }; Querystring: { day?: string } };
type VisitRoute = { Params: { token: string }; Querystring: { done?: string } };

const CODE = /^[A-Z0-9-]{2,20}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const EMPTY: BookForm = { startsAt: '', name: '', phone: '', email: '', line: '' };

/** Refusals of a booking, each said where the visitor can act on it. */
/** Visit form submissions one address may make in ten minutes. */
const VISIT_POSTS = 40;

const FIELD_OF: Partial<Record<VisitError, keyof BookForm>> = {
  'visit.slot_unavailable': 'startsAt',
  'visit.slot_full': 'startsAt',
  'visit.too_many_codes': 'phone',
  'visit.sms_country': 'phone',
};
const DONE: Record<string, MessageKey> = {
  booked: 'visit.done.booked',
  moved: 'visit.done.moved',
  cancelled: 'visit.done.cancelled',
};

const contactSchema = z.object({
  name: z.string().trim().min(1, 'visit.name_missing').max(120, 'visit.name_missing'),
  phone: z.string().transform((v, ctx) => {
    const parsed = parseMsisdn(v);
    if (parsed.ok) return parsed.value as string;
    ctx.addIssue({ code: 'custom', message: 'msisdn.invalid' });
    return z.NEVER;
  }),
  email: z
    .string()
    .trim()
    .transform((v) => v || null)
    .pipe(z.email('wizard.email_invalid').max(254, 'wizard.email_invalid').nullable()),
  line: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return null;
      const parsed = parseMsisdn(v);
      if (parsed.ok) return parsed.value as string;
      ctx.addIssue({ code: 'custom', message: 'msisdn.invalid' });
      return z.NEVER;
    }),
});

/**
 * Booking a visit to a center, public and complete without JavaScript: a day, a slot, a name
 * and a phone, then the code sent to it (signed-in subscribers skip it); the ticket page from
 * the link in the confirmation, where the visit can be cancelled or moved.
 */
export async function visitRoutes(app: FastifyInstance, { assets, demo, db, links, onOutboxWrite, now }: Options) {
  /** Each address may send the visit forms this often, across every instance; the forms are public. */
  const busyAddress = async (request: FastifyRequest) =>
    !(await takeAllowance(db, { name: `http:visits:${request.ip}`, limit: VISIT_POSTS, windowMs: 10 * 60_000 }, now()))
      .allowed;
  const bookPage = async (
    request: FastifyRequest<BookRoute>,
    reply: FastifyReply,
    form: BookForm = EMPTY,
    errors: FieldErrors = {},
    problem: MessageKey | null = null,
    status = 200,
  ) => {
    const code = request.params.code.toUpperCase();
    const slots = CODE.test(code) ? await centerSlots(db, request.operator.id, code, now()) : null;
    if (!slots || slots.listing.center.slotCapacity === 0) return reply.callNotFound();
    const ctx = pageContext(request, assets, demo);
    const booker = await signedInBooker(request);
    return sendPage(
      reply,
      <BookVisitPage
        ctx={ctx}
        slots={slots}
        day={request.query.day ?? ''}
        form={form}
        errors={errors}
        problem={problem}
        csrf={reply.csrfToken()}
        bookingAs={booker?.name ?? null}
      />,
      status,
    );
  };

  const signedInBooker = (request: FastifyRequest): Promise<VisitContact | null> => {
    const session = request.session as SubscriberSession | null;
    return session ? accountVisitor(db, session.accountId, request.locale) : Promise.resolve(null);
  };

  app.get<BookRoute>('/centers/:code/book', (request, reply) => bookPage(request, reply));

  app.post<BookRoute & { Body: Partial<BookForm> }>(
    '/centers/:code/book',
    formRoute({ startsAt: line(40), name: line(120), phone: line(64), email: line(254), line: line(64) }),
    async (request, reply) => {
      const body = request.body ?? {};
      const form: BookForm = {
        startsAt: body.startsAt ?? '',
        name: body.name ?? '',
        phone: body.phone ?? '',
        email: body.email ?? '',
        line: body.line ?? '',
      };
      if (await busyAddress(request)) return bookPage(request, reply, form, {}, 'visit.busy', 429);
      const errors: FieldErrors = {};
      const startsAt = new Date(form.startsAt);
      if (!form.startsAt || Number.isNaN(startsAt.getTime())) errors.startsAt = 'visit.slot_missing';
      const code = request.params.code.toUpperCase();
      const booker = await signedInBooker(request);
      if (booker) {
        if (errors.startsAt) return bookPage(request, reply, form, errors, null, 400);
        const booked = await bookVisit(
          db,
          links,
          request.operator.id,
          code,
          startsAt,
          { ...booker, clientIp: request.ip },
          now(),
        );
        if (booked.ok) {
          onOutboxWrite();
          return reply.redirect(`/visits/${booked.value.token}?done=booked`, 303);
        }
        return refused(request, reply, form, booked.error);
      }
      const contact = contactSchema.safeParse(form);
      if (!contact.success)
        for (const issue of contact.error.issues) errors[String(issue.path[0])] ??= issue.message as MessageKey;
      if (!contact.success || errors.startsAt) return bookPage(request, reply, form, errors, null, 400);
      const requested = await requestVisit(
        db,
        request.operator.id,
        code,
        startsAt,
        { ...contact.data, lineMsisdn: contact.data.line, locale: request.locale, clientIp: request.ip },
        now(),
      );
      if (!requested.ok) return refused(request, reply, form, requested.error);
      onOutboxWrite();
      const ctx = pageContext(request, assets, demo);
      return sendPage(
        reply,
        <VisitCodePage
          ctx={ctx}
          action={`/centers/${code}/book/confirm`}
          pending={requested.value.pendingId}
          code=""
          errors={{}}
          csrf={reply.csrfToken()}
        />,
      );
    },
  );

  const refused = (request: FastifyRequest<BookRoute>, reply: FastifyReply, form: BookForm, error: VisitError) => {
    if (error === 'visit.center_not_found') return reply.callNotFound();
    const field = FIELD_OF[error];
    return field
      ? bookPage(request, reply, form, { [field]: error }, null, 409)
      : bookPage(request, reply, form, {}, error, 409);
  };

  app.post<{ Params: { code: string }; Body: { pending?: string; code?: string } }>(
    '/centers/:code/book/confirm',
    formRoute({ pending: line(40), code: line(12) }),
    async (request, reply) => {
      const pending = request.body?.pending ?? '';
      const typed = (request.body?.code ?? '').trim();
      if (!UUID.test(pending)) return reply.callNotFound();
      const confirmed = (await busyAddress(request))
        ? err('visit.busy' as const)
        : await confirmVisit(db, links, request.operator.id, pending, typed, now());
      if (confirmed.ok) {
        onOutboxWrite();
        return reply.redirect(`/visits/${confirmed.value.token}?done=booked`, 303);
      }
      if (confirmed.error === 'visit.not_found') return reply.callNotFound();
      const ctx = pageContext(request, assets, demo);
      return sendPage(
        reply,
        <VisitCodePage
          ctx={ctx}
          action={`/centers/${request.params.code.toUpperCase()}/book/confirm`}
          pending={pending}
          code={typed}
          errors={{ code: confirmed.error }}
          csrf={reply.csrfToken()}
        />,
        confirmed.error === 'visit.code_wrong' ? 400 : confirmed.error === 'visit.busy' ? 429 : 409,
      );
    },
  );

  const visitPage = async (
    request: FastifyRequest<VisitRoute>,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { token } = request.params;
    const visit = TOKEN.test(token) ? await visitByToken(db, request.operator.id, token) : null;
    if (!visit || visit.status === 'pending') return reply.callNotFound();
    const slots: CenterSlots | null =
      visit.status === 'booked' ? await centerSlots(db, request.operator.id, visit.center.code, now()) : null;
    const ctx = pageContext(request, assets, demo);
    const qr = await QRCode.toDataURL(visit.ticket, { errorCorrectionLevel: 'M', margin: 2, width: 200 });
    const bring = request.t(
      request.operator.onlineReplacement === 'citizens_only' ? 'centers.bring.foreigners' : 'centers.bring',
    );
    return sendPage(
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer'),
      <VisitPage
        ctx={ctx}
        visit={visit}
        qr={qr}
        bring={bring}
        slots={slots}
        notice={DONE[request.query.done ?? ''] ?? null}
        errors={errors}
        csrf={reply.csrfToken()}
        path={`/visits/${token}`}
      />,
      status,
    );
  };

  app.get<VisitRoute>('/visits/:token', (request, reply) => visitPage(request, reply));

  app.post<VisitRoute>('/visits/:token/cancel', formRoute({}), async (request, reply) => {
    const { token } = request.params;
    if (!TOKEN.test(token)) return reply.callNotFound();
    if (await busyAddress(request)) return visitPage(request, reply, { cancel: 'visit.busy' }, 429);
    const cancelled = await cancelVisit(db, links, request.operator.id, token, now());
    if (!cancelled.ok) return reply.callNotFound();
    onOutboxWrite();
    return reply.redirect(`/visits/${token}?done=cancelled`, 303);
  });

  app.post<VisitRoute & { Body: { startsAt?: string } }>(
    '/visits/:token/move',
    formRoute({ startsAt: line(40) }),
    async (request, reply) => {
      const { token } = request.params;
      if (!TOKEN.test(token)) return reply.callNotFound();
      if (await busyAddress(request)) return visitPage(request, reply, { startsAt: 'visit.busy' }, 429);
      const startsAt = new Date(request.body?.startsAt ?? '');
      if (Number.isNaN(startsAt.getTime())) return visitPage(request, reply, { startsAt: 'visit.slot_missing' }, 400);
      const moved = await moveVisit(db, links, request.operator.id, token, startsAt, now());
      if (moved.ok) {
        onOutboxWrite();
        return reply.redirect(`/visits/${token}?done=moved`, 303);
      }
      if (moved.error === 'visit.not_found') return reply.callNotFound();
      return visitPage(request, reply, { startsAt: moved.error }, 409);
    },
  );
}
