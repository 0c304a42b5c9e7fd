import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditApiCall } from '../../../app/api/api-audit.ts';
import { type ApiRequest, lineByMsisdn, listRequests, requestHistory, requestOf } from '../../../app/api/api-reads.ts';
import { saveIdentityDocument } from '../../../app/documents/identity-document.ts';
import { originFor } from '../../../app/operators/links.ts';
import { startPayment } from '../../../app/payments/payments.ts';
import { cancelRequest } from '../../../app/requests/cancel-request.ts';
import { type SubscriberActor, saveAnswers, startReplacement } from '../../../app/requests/replacement-draft.ts';
import { submitReplacement } from '../../../app/requests/submit-replacement.ts';
import { DELIVERIES, REASONS, SIM_TYPES } from '../../../domain/replacement.ts';
import {
  deliveriesFor,
  readContact,
  readDocument,
  reasonsFor,
  simTypesFor,
} from '../../../domain/replacement-wizard.ts';
import { REQUEST_STATUSES } from '../../../domain/request-machine.ts';
import type { MessageKey } from '../../../i18n/translate.ts';
import { authorized, needs, tokenOf } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { created, IdempotencyKey, idempotent, type Outcome, problem, sendOutcome, uuidFrom } from './idempotent.ts';
import { type FieldError, sendProblem } from './problems.ts';
import {
  Address,
  Cursor,
  DocumentInput,
  decodeCursor,
  encodeCursor,
  Limit,
  PaymentResource,
  PhoneNumber,
  pageOf,
  paymentBody,
  problems,
  ReplacementRequest,
  requestBody,
  TimelineEntry,
  timelineBody,
  Uuid,
} from './schemas.ts';

const TAGS = ['Requests'];
const ById = z.object({ requestId: Uuid });

const NewRequest = z
  .object({
    phoneNumber: PhoneNumber.describe('The line whose SIM is replaced'),
    reason: z.enum(REASONS),
    simType: z.enum(SIM_TYPES),
    delivery: z.enum(DELIVERIES).exclude(['counter']),
    centerId: Uuid.optional().describe('For pickup: the service center'),
    contact: z.object({ name: z.string().max(200), phone: z.string().max(40), email: z.string().max(200).optional() }),
    deliveryAddress: Address.optional().describe('For courier delivery'),
  })
  .meta({ id: 'NewReplacementRequest' });

const RequestStatusBody = z.object({
  status: z.enum(REQUEST_STATUSES),
  timeline: z.array(TimelineEntry),
  payments: z.array(PaymentResource),
});

/** A subscriber's request acted on by an operator system: the audit entry names the API client too. */
const onBehalf = (request: FastifyRequest, r: Pick<ApiRequest, 'operatorId' | 'accountId'>): SubscriberActor => ({
  operatorId: r.operatorId,
  accountId: r.accountId,
  ip: request.ip,
});

/** The API client's part of the audit trail. */
const callOf = (request: FastifyRequest) => {
  const token = tokenOf(request);
  return { operatorId: token.operatorId, clientId: token.clientId, ip: request.ip };
};

/**
 * Replacement requests for operator systems (a CRM, a call-center desk, the operator's own app),
 * through the same application functions as the portal: the same eligibility, validation, fees,
 * risk scoring and notifications. The operator's system has authenticated the subscriber.
 */
export async function requestRoutes(app: FastifyInstance, options: ApiOptions) {
  const { db, links, vault, gateway, onOutboxWrite, now } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const fieldErrors = (request: FastifyRequest, errors: Record<string, string | undefined>, base = '/body') =>
    Object.entries(errors).flatMap(([field, code]): FieldError[] =>
      code ? [{ pointer: `${base}/${field}`, code, detail: request.t(code as MessageKey) }] : [],
    );
  const found = async (request: FastifyRequest, requestId: string) => requestOf(db, request.operator.id, requestId);

  api.get(
    '/requests',
    {
      config: authorized('requests:read'),
      schema: {
        tags: TAGS,
        summary: 'List replacement requests, newest first',
        security: needs('requests:read'),
        querystring: z.object({
          status: z.enum(REQUEST_STATUSES).optional(),
          phoneNumber: PhoneNumber.optional(),
          cursor: Cursor.optional(),
          limit: Limit,
        }),
        response: { 200: pageOf(ReplacementRequest), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const cursor = decodeCursor(request.query.cursor);
      if (cursor === 'invalid')
        return sendProblem(request, reply, 400, 'invalid-cursor', 'The cursor is not one of ours.');
      const page = await listRequests(db, request.operator.id, {
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.phoneNumber ? { msisdn: request.query.phoneNumber } : {}),
        cursor,
        limit: request.query.limit,
      });
      return { items: page.items.map(requestBody), nextCursor: encodeCursor(page.next) };
    },
  );

  api.post(
    '/requests',
    {
      config: authorized('requests:write'),
      schema: {
        tags: TAGS,
        summary: 'Start a replacement request for a line (a draft until its document is added and it is submitted)',
        security: needs('requests:write'),
        headers: IdempotencyKey,
        body: NewRequest,
        response: { 201: ReplacementRequest, ...problems(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (): Promise<Outcome> => {
        const input = request.body;
        const line = await lineByMsisdn(db, request.operator.id, input.phoneNumber);
        if (!line) return problem(404, 'line-not-found', 'The operator has no such number.');
        const actor = { operatorId: request.operator.id, accountId: line.accountId, ip: request.ip };
        const { offer } = await app.operatorProfile(request.operator);
        const errors: Record<string, string | undefined> = {};
        if (!reasonsFor(offer).includes(input.reason)) errors.reason = 'wizard.reason_missing';
        if (!simTypesFor(input.reason, offer).includes(input.simType)) errors.simType = 'wizard.sim_type_missing';
        if (!deliveriesFor(input.simType, offer).includes(input.delivery)) errors.delivery = 'wizard.delivery_missing';
        if (input.delivery === 'pickup' && !offer.centerIds.includes(input.centerId ?? ''))
          errors.centerId = 'wizard.center_missing';
        const contact = readContact(
          {
            contactName: input.contact.name,
            contactPhone: input.contact.phone,
            contactEmail: input.contact.email,
            ...input.deliveryAddress,
          },
          input.delivery,
          offer,
        );
        const problems = fieldErrors(request, errors);
        if (!contact.ok)
          for (const [field, code] of Object.entries(contact.error)) {
            const base = field.startsWith('contact') ? '/body/contact' : '/body/deliveryAddress';
            const name = field.startsWith('contact') ? field.slice(7).toLowerCase() : field;
            if (code) problems.push({ pointer: `${base}/${name}`, code, detail: request.t(code as MessageKey) });
          }
        if (problems.length > 0 || !contact.ok)
          return problem(422, 'validation-failed', 'Some fields cannot be accepted.', problems);
        const started = await startReplacement(db, actor, line.id, now());
        if (!started.ok) {
          const refusal = started.error;
          if (refusal.reason === 'line.not_found')
            return problem(404, 'line-not-found', 'The operator has no such number.');
          const params = 'until' in refusal ? { until: refusal.until } : undefined;
          return problem(422, refusal.reason.replace('.', '-').replaceAll('_', '-'), request.t(refusal.reason, params));
        }
        const { requestId } = started.value;
        const saved = await saveAnswers(db, actor, requestId, {
          reason: input.reason,
          simType: input.simType,
          delivery: input.delivery,
          centerId: input.delivery === 'pickup' ? (input.centerId ?? null) : null,
          ...contact.value,
        });
        if (!saved.ok) return problem(409, 'request-open', 'The line already has a request under way.');
        await auditApiCall(db, callOf(request), 'request.create', { kind: 'replacement_request', id: requestId });
        const row = (await found(request, requestId)) as ApiRequest;
        return created(requestBody(row), `/api/v1/requests/${requestId}`);
      }),
  );

  api.get(
    '/requests/:requestId',
    {
      config: authorized('requests:read'),
      schema: {
        tags: TAGS,
        summary: 'One replacement request',
        security: needs('requests:read'),
        params: ById,
        response: { 200: ReplacementRequest, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const row = await found(request, request.params.requestId);
      if (!row) return sendProblem(request, reply, 404, 'request-not-found', 'No such request.');
      return requestBody(row);
    },
  );

  api.get(
    '/requests/:requestId/status',
    {
      config: authorized('requests:read'),
      schema: {
        tags: TAGS,
        summary: "A request's status with its timeline and payments",
        security: needs('requests:read'),
        params: ById,
        response: { 200: RequestStatusBody, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const row = await found(request, request.params.requestId);
      if (!row) return sendProblem(request, reply, 404, 'request-not-found', 'No such request.');
      const history = await requestHistory(db, row.id);
      return {
        status: row.status,
        timeline: history.events.map(timelineBody),
        payments: history.payments.map((p) => paymentBody(p)),
      };
    },
  );

  api.post(
    '/requests/:requestId/documents',
    {
      config: authorized('requests:write'),
      bodyLimit: 15 * 1024 * 1024,
      schema: {
        tags: TAGS,
        summary: "Add the subscriber's identity document to a draft (replaces an earlier one)",
        security: needs('requests:write'),
        headers: IdempotencyKey,
        params: ById,
        body: DocumentInput,
        response: {
          201: z.object({ docType: DocumentInput.shape.docType, uploaded: z.literal(true) }),
          ...problems(400, 401, 403, 404, 409, 413, 422, 429, 503),
        },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (): Promise<Outcome> => {
        const row = await found(request, request.params.requestId);
        if (!row) return problem(404, 'request-not-found', 'No such request.');
        const document = readDocument(request.body);
        if (!document.ok)
          return problem(
            422,
            'validation-failed',
            'The document cannot be accepted.',
            fieldErrors(request, document.error),
          );
        const saved = await saveIdentityDocument(db, vault, onBehalf(request, row), row.id, {
          ...document.value,
          file: Buffer.from(request.body.contentBase64, 'base64'),
        });
        if (!saved.ok && saved.error === 'draft.not_found')
          return problem(409, 'request-not-draft', 'Documents are added to a draft only.');
        if (!saved.ok && saved.error === 'document.storage_unavailable')
          return problem(503, 'storage-unavailable', request.t(saved.error));
        if (!saved.ok || !saved.value.uploaded) {
          const code = saved.ok ? 'document.missing' : (saved.error as Exclude<typeof saved.error, 'draft.not_found'>);
          return problem(422, 'validation-failed', request.t(code), [
            { pointer: '/body/contentBase64', code, detail: request.t(code) },
          ]);
        }
        await auditApiCall(db, callOf(request), 'document.add', { kind: 'replacement_request', id: row.id });
        return created({ docType: saved.value.docType, uploaded: true as const });
      }),
  );

  api.post(
    '/requests/:requestId/submit',
    {
      config: authorized('requests:write'),
      schema: {
        tags: TAGS,
        summary: 'Submit a complete draft: the fee is fixed, the risk scored and every contact of the account told',
        description:
          'With an `Idempotency-Key`, a repeat gets the first answer, and the repeat of a call cut off after it submitted answers the submitted request.',
        security: needs('requests:write'),
        params: ById,
        headers: IdempotencyKey.partial(),
        response: { 200: ReplacementRequest, ...problems(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const submit = async (abandoned: boolean): Promise<Outcome> => {
        const row = await found(request, request.params.requestId);
        if (!row) return problem(404, 'request-not-found', 'No such request.');
        const submitted = await submitReplacement(db, links, vault.key, onBehalf(request, row), row.id, now());
        if (!submitted.ok) {
          const error = submitted.error;
          // The first call with this key died after its submission committed: that submission is this call's.
          if (error === 'draft.not_found' && abandoned && row.status !== 'draft')
            return { ok: true, status: 200, body: requestBody(row) };
          if (error === 'draft.not_found')
            return problem(409, 'request-not-draft', 'The request was submitted already.');
          if (error === 'draft.incomplete')
            return problem(422, 'request-incomplete', 'Add the identity document first.');
          if (error === 'draft.changed') return problem(409, 'request-changed', 'Try again.');
          return problem(422, error.replace('.', '-').replaceAll('_', '-'), request.t(error));
        }
        onOutboxWrite();
        await auditApiCall(db, callOf(request), 'request.submit', { kind: 'replacement_request', id: row.id });
        return { ok: true, status: 200, body: requestBody((await found(request, row.id)) as ApiRequest) };
      };
      if (!request.headers['idempotency-key']) return sendOutcome(request, reply, await submit(false));
      return idempotent(db, request, reply, (_key, repeat) => submit(repeat.abandoned));
    },
  );

  api.post(
    '/requests/:requestId/payments',
    {
      config: authorized('requests:write'),
      schema: {
        tags: TAGS,
        summary: "Start paying a submitted request's fee; the payer confirms at checkoutUrl",
        security: needs('requests:write'),
        headers: IdempotencyKey,
        params: ById,
        body: z.object({ method: z.enum(['card', 'ewallet']) }),
        response: { 201: PaymentResource, ...problems(400, 401, 403, 404, 409, 429, 503) },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (key): Promise<Outcome> => {
        const row = await found(request, request.params.requestId);
        if (!row) return problem(404, 'request-not-found', 'No such request.');
        const attemptKey = uuidFrom(key);
        const started = await startPayment(db, gateway, onBehalf(request, row), row.id, {
          method: request.body.method,
          attemptKey,
          returnOrigin: originFor(links, request.operator, { protocol: request.protocol, host: request.host }),
          description: request.t('pay.description', { reference: row.reference }),
        });
        if (!started.ok)
          return started.error === 'payment.unavailable'
            ? problem(503, 'payment-unavailable', 'The payment gateway does not answer; try again shortly.')
            : problem(409, 'payment-not-due', 'Nothing is due on this request.');
        const { payment } = started.value;
        await auditApiCall(db, callOf(request), 'payment.start', { kind: 'payment', id: payment.id });
        return created(paymentBody(payment, started.value.checkoutUrl));
      }),
  );

  api.post(
    '/requests/:requestId/cancel',
    {
      config: authorized('requests:write'),
      schema: {
        tags: TAGS,
        summary: 'Cancel a request before its SIM leaves; a settled fee is refunded',
        security: needs('requests:write'),
        params: ById,
        response: { 200: ReplacementRequest, ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const row = await found(request, request.params.requestId);
      if (!row) return sendProblem(request, reply, 404, 'request-not-found', 'No such request.');
      const cancelled = await cancelRequest(db, links, onBehalf(request, row), row.id, now());
      if (!cancelled.ok && row.status !== 'cancelled')
        return sendProblem(
          request,
          reply,
          409,
          'request-cannot-cancel',
          'The SIM has left; it can no longer be cancelled.',
        );
      if (cancelled.ok) {
        onOutboxWrite();
        await auditApiCall(db, callOf(request), 'request.cancel', { kind: 'replacement_request', id: row.id });
      }
      return requestBody((await found(request, row.id)) as ApiRequest);
    },
  );
}
