import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { openTransfers, receiveTransfer } from '../../app/back-office/transfers.ts';
import { chooseCounterCenter, openCenters } from '../../app/counter/counter-center.ts';
import { handOverCounterSim, issueCounterEsim } from '../../app/counter/counter-sim.ts';
import { counterCase, counterLine, findAtCounter } from '../../app/counter/counter-views.ts';
import { type CounterError, startWalkIn, takeCounterPayment } from '../../app/counter/walk-in.ts';
import type { Links } from '../../app/operators/links.ts';
import { counterRefundsDue, recordCounterRefund } from '../../app/payments/counter-refunds.ts';
import type { StaffActor } from '../../app/requests/staff-step.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { DOCUMENT_TYPES, REASONS, SIM_TYPES } from '../../domain/replacement.ts';
import { type MessageKey, translator } from '../../i18n/translate.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../shared/form.tsx';
import { formRoute, line } from '../shared/form-schema.ts';
import { uuidParams } from '../shared/uuid-params.ts';
import { renderCounterPdf } from './counter-form-pdf.ts';
import {
  type CaseForm,
  CounterCasePage,
  CounterLinePage,
  CounterSearchPage,
  type WalkInForm,
} from './counter-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; links: Links; documentKey: Buffer; onOutboxWrite: () => void };
type LineRoute = { Params: { lineId: string }; Querystring: { visit?: string } };
type CaseRoute = { Params: { requestId: string } };

/** Refusals of the whole step, as the agent reads them. */
const PROBLEMS: Partial<Record<CounterError, MessageKey>> = {
  'identity.mismatch': 'counter.identity_mismatch',
  'identity.held': 'counter.identity_held',
  'identity.none_on_file': 'identity.none_on_file',
  'counter.open_request': 'counter.open.hint',
  'counter.no_esim': 'counter.no_esim',
  'fee.no_rule': 'fee.no_rule',
  'staff.no_center': 'counter.no_center',
  'sim.out_of_stock': 'counter.esim.none',
  'counter.wrong_step': 'review.refused.decided',
  'request.changed': 'review.refused.decided',
};
/** Refusals of the card typed, shown at the ICCID field. */
const SIM_ERRORS: readonly CounterError[] = [
  'sim.unknown',
  'sim.in_use',
  'sim.other_center',
  'sim.wrong_kind',
  'iccid.format',
  'iccid.length',
  'iccid.prefix',
  'iccid.check_digit',
];

/**
 * The walk-in at the counter in as few pages as the work allows: find the line (number or
 * ticket), check the passport and say what is wanted on one form, take the fee, scan the card,
 * print. Every step redirects to the case's page, so a reload never repeats it.
 */
export async function counterRoutes(
  app: FastifyInstance,
  { assets, demo, db, links, documentKey, onOutboxWrite }: Options,
) {
  const guard = [staffOnly(['store_agent', 'admin']), uuidParams];
  const actor = (request: FastifyRequest): StaffActor => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip, sessionId: staff.id };
  };

  /** The counter's first page: the search, the center's incoming cards and the refunds it owes. */
  const searchPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    shown: { query?: string; problem?: MessageKey | null; received?: number | null; refunded?: boolean },
    status = 200,
  ) => {
    const staff = request.staff as StaffSession;
    const [incoming, refunds, centers] = await Promise.all([
      staff.centerId ? openTransfers(db, staff.operatorId, staff.centerId) : [],
      counterRefundsDue(db, actor(request)),
      staff.choosesCenter ? openCenters(db, staff.operatorId) : null,
    ]);
    return sendPage(
      reply,
      <CounterSearchPage
        ctx={pageContext(request, assets, demo)}
        staff={staff}
        incoming={incoming}
        refunds={refunds}
        centers={centers}
        query={shown.query ?? ''}
        problem={shown.problem ?? null}
        received={shown.received ?? null}
        refunded={shown.refunded ?? false}
      />,
      status,
    );
  };

  app.get<{ Querystring: { q?: string; received?: string; refunded?: string } }>(
    '/staff/counter',
    { preHandler: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 40).trim() : '';
      const received = /^\d{1,5}$/.test(request.query.received ?? '') ? Number(request.query.received) : null;
      if (!query) return searchPage(request, reply, { received, refunded: request.query.refunded === '1' });
      const found = await findAtCounter(db, staff.operatorId, query);
      if (found)
        return reply.redirect(
          `/staff/counter/lines/${found.lineId}${found.appointmentId ? `?visit=${found.appointmentId}` : ''}`,
          303,
        );
      return searchPage(request, reply, { query, problem: 'counter.not_found' }, 404);
    },
  );

  /** Money taken here and owed back: the agent pays out the cash or reverses the terminal payment. */
  app.post<{ Params: { paymentId: string }; Body: { slipRef?: string } }>(
    '/staff/counter/refunds/:paymentId',
    { ...formRoute({ slipRef: line(40) }), preHandler: guard },
    async (request, reply) => {
      const done = await recordCounterRefund(db, actor(request), request.params.paymentId, {
        slipRef: request.body.slipRef ?? '',
      });
      if (done.ok) return reply.redirect('/staff/counter?refunded=1', 303);
      if (done.error === 'refund.slip_required')
        return searchPage(request, reply, { problem: 'counter.refunds.slip_required' }, 400);
      return reply.callNotFound();
    },
  );

  /** An administrator without a center of their own chooses the one whose counter they work. */
  app.post<{ Body: { centerId?: string } }>(
    '/staff/counter/center',
    { ...formRoute({ centerId: line(40) }), preHandler: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const centerId = request.body.centerId ?? '';
      const chosen = UUID.test(centerId)
        ? await chooseCounterCenter(db, { ...actor(request), sessionId: staff.id }, centerId)
        : null;
      if (!chosen?.ok) return reply.callNotFound();
      return reply.redirect('/staff/counter', 303);
    },
  );

  /** Cards sent to the agent's center arrive: the agent puts them in stock here. */
  app.post<{ Params: { transferId: string } }>(
    '/staff/counter/transfers/:transferId/receive',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      if (!staff.centerId) return reply.callNotFound();
      const received = await receiveTransfer(db, actor(request), request.params.transferId, new Date(), staff.centerId);
      if (!received.ok) return reply.callNotFound();
      return reply.redirect(`/staff/counter?received=${received.value}`, 303);
    },
  );

  const linePage = async (
    request: FastifyRequest<LineRoute>,
    reply: FastifyReply,
    form: WalkInForm = { docType: 'passport_ru', docNumber: '', reason: '', simType: 'physical' },
    errors: FieldErrors = {},
    problem: MessageKey | null = null,
    status = 200,
  ) => {
    const staff = request.staff as StaffSession;
    const { lineId } = request.params;
    const found = UUID.test(lineId) ? await counterLine(db, staff.operatorId, lineId, staff.centerId) : null;
    if (!found) return reply.callNotFound();
    const visit = UUID.test(request.query.visit ?? '') ? (request.query.visit as string) : null;
    const ctx = pageContext(request, assets, demo);
    const esim = ctx.operator?.esimEnabled ?? false;
    return sendPage(
      reply,
      <CounterLinePage
        ctx={ctx}
        staff={staff}
        line={found}
        visit={visit}
        form={form}
        errors={errors}
        problem={problem}
        esim={esim}
      />,
      status,
    );
  };

  app.get<LineRoute>('/staff/counter/lines/:lineId', { preHandler: guard }, (request, reply) =>
    linePage(request, reply),
  );

  app.post<LineRoute & { Body: Partial<WalkInForm> }>(
    '/staff/counter/lines/:lineId',
    {
      ...formRoute({ docType: line(32), docNumber: line(64), reason: line(32), simType: line(16) }),
      preHandler: guard,
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const form: WalkInForm = {
        docType: body.docType ?? '',
        docNumber: (body.docNumber ?? '').trim(),
        reason: body.reason ?? '',
        simType: body.simType ?? '',
      };
      const docType = DOCUMENT_TYPES.find((d) => d === form.docType);
      const reason = REASONS.find((r) => r === form.reason);
      const simType = SIM_TYPES.find((s) => s === form.simType);
      const errors: FieldErrors = {};
      if (!docType) errors.docType = 'wizard.document_type_missing';
      if (!form.docNumber) errors.docNumber = 'wizard.document_number_invalid';
      if (!reason) errors.reason = 'wizard.reason_missing';
      if (!simType) errors.simType = 'wizard.sim_type_missing';
      if (!docType || !reason || !simType) return linePage(request, reply, form, errors, null, 400);
      const visit = request.query.visit;
      const started = await startWalkIn(db, links, documentKey, actor(request), {
        lineId: request.params.lineId,
        docType,
        docNumber: form.docNumber,
        reason,
        simType,
        ...(visit && UUID.test(visit) ? { appointmentId: visit } : {}),
      });
      if (started.ok) {
        onOutboxWrite();
        return reply.redirect(`/staff/counter/requests/${started.value.requestId}`, 303);
      }
      if (started.error === 'line.not_found' || started.error === 'staff.forbidden') return reply.callNotFound();
      const status = started.error === 'identity.held' ? 429 : 409;
      return linePage(request, reply, form, {}, PROBLEMS[started.error] ?? 'review.refused.decided', status);
    },
  );

  const casePage = async (
    request: FastifyRequest<CaseRoute>,
    reply: FastifyReply,
    form: CaseForm = { method: 'cash', slipRef: '', iccid: '' },
    errors: FieldErrors = {},
    problem: MessageKey | null = null,
    status = 200,
  ) => {
    const staff = request.staff as StaffSession;
    const { requestId } = request.params;
    const served =
      UUID.test(requestId) && staff.centerId
        ? await counterCase(db, documentKey, actor(request), staff.centerId, requestId)
        : null;
    if (!served) return reply.callNotFound();
    const qr = served.esimCode
      ? await QRCode.toDataURL(served.esimCode, { errorCorrectionLevel: 'M', margin: 2, width: 240 })
      : null;
    const ctx = pageContext(request, assets, demo);
    return sendPage(
      reply,
      <CounterCasePage ctx={ctx} staff={staff} served={served} form={form} errors={errors} problem={problem} qr={qr} />,
      status,
    );
  };

  app.get<CaseRoute>('/staff/counter/requests/:requestId', { preHandler: guard }, (request, reply) =>
    casePage(request, reply),
  );

  const refused = (
    request: FastifyRequest<CaseRoute>,
    reply: FastifyReply,
    form: CaseForm,
    error: CounterError,
    field: keyof CaseForm,
  ) => {
    if (error === 'request.not_found' || error === 'staff.forbidden') return reply.callNotFound();
    if (error === 'counter.slip_required')
      return casePage(request, reply, form, { slipRef: 'counter.pay.slip_required' }, null, 400);
    if (SIM_ERRORS.includes(error))
      return casePage(request, reply, form, { [field]: `counter.${error}` as MessageKey }, null, 409);
    return casePage(request, reply, form, {}, PROBLEMS[error] ?? 'review.refused.decided', 409);
  };
  const done = (request: FastifyRequest<CaseRoute>, reply: FastifyReply) => {
    onOutboxWrite();
    return reply.redirect(`/staff/counter/requests/${request.params.requestId}`, 303);
  };

  app.post<CaseRoute & { Body: Partial<CaseForm> }>(
    '/staff/counter/requests/:requestId/payment',
    { ...formRoute({ method: line(16), slipRef: line(64) }), preHandler: guard },
    async (request, reply) => {
      const form = { method: request.body?.method ?? '', slipRef: request.body?.slipRef ?? '', iccid: '' };
      if (form.method !== 'cash' && form.method !== 'card_terminal')
        return casePage(request, reply, form, { method: 'counter.pay.method_missing' }, null, 400);
      const paid = await takeCounterPayment(db, actor(request), request.params.requestId, {
        method: form.method,
        slipRef: form.slipRef,
      });
      return paid.ok ? done(request, reply) : refused(request, reply, form, paid.error, 'slipRef');
    },
  );

  app.post<CaseRoute & { Body: Partial<CaseForm> }>(
    '/staff/counter/requests/:requestId/sim',
    { ...formRoute({ iccid: line(64) }), preHandler: guard },
    async (request, reply) => {
      const form = { method: '', slipRef: '', iccid: (request.body?.iccid ?? '').trim() };
      const handed = await handOverCounterSim(db, links, actor(request), request.params.requestId, form.iccid);
      return handed.ok ? done(request, reply) : refused(request, reply, form, handed.error, 'iccid');
    },
  );

  app.post<CaseRoute>(
    '/staff/counter/requests/:requestId/esim',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      const issued = await issueCounterEsim(db, links, actor(request), request.params.requestId);
      const form = { method: '', slipRef: '', iccid: '' };
      return issued.ok ? done(request, reply) : refused(request, reply, form, issued.error, 'iccid');
    },
  );

  app.get<CaseRoute>('/staff/counter/requests/:requestId/form.pdf', { preHandler: guard }, async (request, reply) => {
    const staff = request.staff as StaffSession;
    const { requestId } = request.params;
    const served =
      UUID.test(requestId) && staff.centerId
        ? await counterCase(db, documentKey, actor(request), staff.centerId, requestId)
        : null;
    if (served?.status !== 'activated') return reply.callNotFound();
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="${served.reference}.pdf"`)
      .send(await renderCounterPdf(served, translator(served.locale)));
  });
}
