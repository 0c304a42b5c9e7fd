import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type QueueFilters, reviewCase, reviewQueue, viewIdentityScan } from '../../app/back-office/review-queue.ts';
import type { Vault } from '../../app/documents/identity-document.ts';
import type { Links } from '../../app/operators/links.ts';
import { type Decision, reviewRequest } from '../../app/requests/fulfilment.ts';
import type { StaffActor } from '../../app/requests/staff-step.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { CHANNELS, DELIVERIES, REASONS } from '../../domain/replacement.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import type { FieldErrors } from '../shared/form.tsx';
import { formRoute, text } from '../shared/form-schema.ts';
import { ReviewCasePage, type ReviewOutcome, ReviewQueuePage } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = {
  assets: Assets;
  demo: boolean;
  db: Db;
  /** The queue is a list to pick from, read where lag is tolerated; every decision reads the primary. */
  reads: Db;
  links: Links;
  vault: Vault;
  onOutboxWrite: () => void;
};
type CaseRoute = { Params: { requestId: string }; Querystring: { done?: string } };

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined => values.find((x) => x === v);

/** The filters a reviewer chose, from the query; anything unknown is ignored. */
function filtersOf(query: Record<string, unknown>): QueueFilters {
  const hours = Number(query.olderThanHours);
  const filters: QueueFilters = {};
  const reason = oneOf(REASONS, query.reason);
  const delivery = oneOf(DELIVERIES, query.delivery);
  const channel = oneOf(CHANNELS, query.channel);
  const risk = oneOf(['high', 'normal'] as const, query.risk);
  if (reason) filters.reason = reason;
  if (delivery) filters.delivery = delivery;
  if (channel) filters.channel = channel;
  if (risk) filters.risk = risk;
  if (query.olderThanHours !== '' && Number.isInteger(hours) && hours >= 0 && hours < 10_000)
    filters.olderThanHours = hours;
  const [, at, id] = String(query.after ?? '').match(/^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/) ?? [];
  if (at && id && UUID.test(id) && !Number.isNaN(Date.parse(at))) filters.after = { submittedAt: new Date(at), id };
  return filters;
}

/** What a reviewer is told after acting: where the request now stands, or why nothing changed. */
const OUTCOMES: Record<string, MessageKey> = {
  approved: 'review.done.approved',
  second_review: 'review.done.second_review',
  rejected: 'review.done.rejected',
  needs_info: 'review.done.needs_info',
  'request.own': 'review.refused.own',
  'transition.same_reviewer': 'review.refused.same_reviewer',
  'transition.not_allowed': 'review.refused.decided',
  'request.changed': 'review.refused.decided',
  'request.sim_change_locked': 'request.sim_change_locked',
  'staff.forbidden': 'review.refused.forbidden',
};

/** The reviewer's queue and the page of each request, with the decisions of `reviewRequest`. */
export async function reviewRoutes(
  app: FastifyInstance,
  { assets, demo, db, reads, links, vault, onOutboxWrite }: Options,
) {
  const guard = staffOnly(['reviewer', 'admin']);
  const actor = (request: FastifyRequest): StaffActor => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };

  app.get('/staff/review', { preHandler: guard }, async (request, reply) => {
    const filters = filtersOf(request.query as Record<string, unknown>);
    const now = new Date();
    const { rows, next } = await reviewQueue(reads, request.operator.id, filters, now);
    const ctx = pageContext(request, assets, demo);
    const staff = request.staff as StaffSession;
    return sendPage(
      reply,
      <ReviewQueuePage ctx={ctx} staff={staff} rows={rows} filters={filters} now={now} next={next} />,
    );
  });

  const casePage = async (
    request: FastifyRequest<CaseRoute>,
    reply: FastifyReply,
    outcome: ReviewOutcome,
    problem: { errors: FieldErrors; typed: { reason?: string; note?: string }; status: number } = {
      errors: {},
      typed: {},
      status: 200,
    },
  ) => {
    const { requestId } = request.params;
    const found = UUID.test(requestId) ? await reviewCase(db, vault, request.operator.id, requestId) : null;
    if (!found) return reply.callNotFound();
    const ctx = pageContext(request, assets, demo);
    const page = (
      <ReviewCasePage
        ctx={ctx}
        staff={request.staff as StaffSession}
        found={found}
        outcome={outcome}
        errors={problem.errors}
        typed={problem.typed}
        now={new Date()}
      />
    );
    return sendPage(reply, page, problem.status);
  };

  app.get<CaseRoute>('/staff/review/:requestId', { preHandler: guard }, (request, reply) =>
    casePage(request, reply, OUTCOMES[request.query.done ?? ''] ?? null),
  );

  app.get<CaseRoute>('/staff/review/:requestId/document', { preHandler: guard }, async (request, reply) => {
    const { requestId } = request.params;
    const scan = UUID.test(requestId) ? await viewIdentityScan(db, vault, actor(request), requestId) : null;
    if (!scan) return reply.callNotFound();
    return reply
      .type(scan.contentType)
      .header('cache-control', 'no-store')
      .header('content-disposition', 'inline')
      .send(scan.content);
  });

  const decide = async (request: FastifyRequest<CaseRoute>, reply: FastifyReply, decision: Decision) => {
    const { requestId } = request.params;
    if (!UUID.test(requestId)) return reply.callNotFound();
    const result = await reviewRequest(db, links, actor(request), requestId, decision);
    if (result.ok) {
      onOutboxWrite();
      return reply.redirect(`/staff/review/${requestId}?done=${result.value}`, 303);
    }
    if (result.error === 'request.not_found') return reply.callNotFound();
    return casePage(request, reply, OUTCOMES[result.error] ?? 'review.refused.decided', {
      errors: {},
      typed: {},
      status: 409,
    });
  };

  app.post<CaseRoute>('/staff/review/:requestId/approve', { ...formRoute({}), preHandler: guard }, (request, reply) =>
    decide(request, reply, { decision: 'approve' }),
  );

  app.post<CaseRoute & { Body: { reason?: string } }>(
    '/staff/review/:requestId/reject',
    { ...formRoute({ reason: text(1_000) }), preHandler: guard },
    (request, reply) => {
      const reason = (request.body?.reason ?? '').trim();
      if (!reason)
        return casePage(request, reply, null, {
          errors: { reason: 'review.reason_missing' },
          typed: { reason },
          status: 400,
        });
      return decide(request, reply, { decision: 'reject', reason });
    },
  );

  app.post<CaseRoute & { Body: { note?: string } }>(
    '/staff/review/:requestId/request-info',
    { ...formRoute({ note: text(1_000) }), preHandler: guard },
    (request, reply) => {
      const note = (request.body?.note ?? '').trim();
      if (!note)
        return casePage(request, reply, null, {
          errors: { note: 'review.note_missing' },
          typed: { note },
          status: 400,
        });
      return decide(request, reply, { decision: 'request_info', note });
    },
  );
}
