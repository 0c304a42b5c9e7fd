import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { DOCUMENT_MAX_BYTES } from '../../../app/documents/document-content.ts';
import { originFor } from '../../../app/operators/links.ts';
import { ownPayment, requestPayments, settlePayment, startPayment } from '../../../app/payments/payments.ts';
import { loadReceipt } from '../../../app/payments/receipt.ts';
import { cancelRequest } from '../../../app/requests/cancel-request.ts';
import { esimMatchingId } from '../../../app/requests/esim-orders.ts';
import { provideInformation } from '../../../app/requests/provide-information.ts';
import type { Draft } from '../../../app/requests/replacement-draft.ts';
import { nextStep, readDocument } from '../../../domain/replacement-wizard.ts';
import { eventsFrom } from '../../../domain/request-machine.ts';
import type { PaymentGateway } from '../../../integrations/payments/payment-gateway.ts';
import type { SmdpPlus } from '../../../integrations/smdp/smdp.ts';
import { SmdpSimulator } from '../../../integrations/smdp/smdp-simulator.ts';
import { requireSubscriber } from '../../plugins/session.ts';
import { pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { file, formRoute, line } from '../../shared/form-schema.ts';
import { renderReceiptPdf } from '../../shared/receipt-pdf.ts';
import { PayPage } from '../views/pay-page.tsx';
import { RequestStatusPage } from '../views/request-status-page.tsx';
import {
  acceptDocumentUploads,
  type FormBody,
  formText,
  type SubscriberRouteOptions,
  subscriberActor,
  subscriberSession,
  typedFields,
  UUID,
  uploaded,
} from './subscriber-context.ts';

type Options = SubscriberRouteOptions & { gateway: PaymentGateway; smdp: SmdpPlus | null };
type StatusRoute = {
  Params: { requestId: string };
  Querystring: { submitted?: string };
  Body: FormBody;
};

/** A submitted request: its status and timeline, paying the fee, cancelling, answering review. */
export async function requestRoutes(app: FastifyInstance, options: Options) {
  const { assets, demo, db, onOutboxWrite, vault, links, gateway, smdp } = options;
  const phone = demo && smdp instanceof SmdpSimulator ? smdp : null;
  app.addHook('onRequest', requireSubscriber);
  await acceptDocumentUploads(app);

  const statusPage = async (
    request: FastifyRequest<StatusRoute>,
    reply: FastifyReply,
    upload: { errors: FieldErrors; input: Record<string, string> } = { errors: {}, input: {} },
  ) => {
    const { requestId } = request.params;
    const view = UUID.test(requestId) ? await app.accountViews.request(subscriberSession(request), requestId) : null;
    if (!view) return reply.callNotFound();
    if (view.request.status === 'draft') {
      const draft = (await app.accountViews.draft(subscriberSession(request), requestId)) as Draft;
      const { offer } = await app.operatorProfile(request.operator);
      return reply.redirect(`/requests/${requestId}/${nextStep(draft.answers, offer)}`, 303);
    }
    // A card waiting at the center: the reference as a QR for the agent to scan.
    const pickupQr =
      view.request.status === 'ready_for_pickup'
        ? await QRCode.toDataURL(view.request.reference, { errorCorrectionLevel: 'M', margin: 2, width: 200 })
        : null;
    const page = (
      <RequestStatusPage
        pickupQr={pickupQr}
        ctx={pageContext(request, assets, demo)}
        view={view}
        justSubmitted={request.query.submitted === '1'}
        payments={view.payments}
        canCancel={eventsFrom(view.request.status).includes('cancel')}
        csrf={reply.csrfToken()}
        upload={{ ...upload, maxMegabytes: DOCUMENT_MAX_BYTES / 1024 / 1024 }}
        simulatedPhone={phone !== null}
      />
    );
    return sendPage(reply, page, Object.keys(upload.errors).length > 0 ? 400 : 200);
  };

  app.get<StatusRoute>('/requests/:requestId', (request, reply) => statusPage(request, reply));

  /** What the status page's script polls: a change of version means something happened. */
  app.get<StatusRoute>('/requests/:requestId/status.json', async (request, reply) => {
    const { requestId } = request.params;
    const own = UUID.test(requestId) ? await app.accountViews.request(subscriberSession(request), requestId) : null;
    if (!own) return reply.callNotFound();
    return reply.header('cache-control', 'no-store').send({ status: own.request.status, version: own.request.version });
  });

  app.get<StatusRoute>('/requests/:requestId/receipt.pdf', async (request, reply) => {
    const { requestId } = request.params;
    const receipt = UUID.test(requestId) ? await loadReceipt(db, subscriberActor(request), requestId) : null;
    if (!receipt) return reply.callNotFound();
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="${receipt.reference}.pdf"`)
      .send(await renderReceiptPdf(receipt, request.t));
  });

  /** A new scan when the reviewer asked for one; type and number are typed again with it. */
  app.post<StatusRoute>(
    '/requests/:requestId/document',
    formRoute({ docType: line(32), docNumber: line(64), document: file }, ['multipart/form-data']),
    async (request, reply) => {
      const { requestId } = request.params;
      if (!UUID.test(requestId) || !(await app.accountViews.request(subscriberSession(request), requestId)))
        return reply.callNotFound();
      const body = request.body;
      const document = readDocument({ docType: formText(body, 'docType'), docNumber: formText(body, 'docNumber') });
      const file = uploaded(body, 'document');
      const errors: FieldErrors = document.ok ? {} : { ...document.error };
      if (!file) errors.document = 'document.missing';
      else if (file.truncated) errors.document = 'document.too_large';
      if (!document.ok || !file || file.truncated)
        return statusPage(request, reply, { errors, input: typedFields(body) });
      const provided = await provideInformation(db, vault, subscriberActor(request), requestId, {
        ...document.value,
        file: file.content,
      });
      if (!provided.ok) {
        if (provided.error.startsWith('document.'))
          return statusPage(request, reply, {
            errors: { document: provided.error as 'document.missing' },
            input: typedFields(body),
          });
        return reply.redirect(`/requests/${requestId}`, 303);
      }
      return reply.redirect(`/requests/${requestId}`, 303);
    },
  );

  type PayRoute = { Params: { requestId: string }; Querystring: { payment?: string; unavailable?: string } };

  app.get<PayRoute>('/requests/:requestId/pay', async (request, reply) => {
    const { requestId } = request.params;
    const own = UUID.test(requestId) ? await app.accountViews.request(subscriberSession(request), requestId) : null;
    if (!own) return reply.callNotFound();
    if (own.request.status !== 'awaiting_payment') return reply.redirect(`/requests/${requestId}`, 303);
    const [last] = await requestPayments(db, requestId);
    const page = (
      <PayPage
        ctx={pageContext(request, assets, demo)}
        request={own.request}
        attemptKey={randomUUID()}
        csrf={reply.csrfToken()}
        failed={last?.status === 'failed' && request.query.payment === last.id ? last : null}
        unavailable={request.query.unavailable === '1'}
      />
    );
    return sendPage(reply, page);
  });

  app.post<PayRoute & { Body: FormBody }>(
    '/requests/:requestId/pay',
    formRoute({ method: line(16), attempt: line(64) }),
    async (request, reply) => {
      const { requestId } = request.params;
      if (!UUID.test(requestId)) return reply.callNotFound();
      const own = await app.accountViews.request(subscriberSession(request), requestId);
      if (!own) return reply.callNotFound();
      const started = await startPayment(db, gateway, subscriberActor(request), requestId, {
        method: formText(request.body, 'method') === 'ewallet' ? 'ewallet' : 'card',
        attemptKey: formText(request.body, 'attempt') ?? '',
        returnOrigin: originFor(links, request.operator, { protocol: request.protocol, host: request.host }),
        description: request.t('pay.description', { reference: own.request.reference }),
      });
      if (started.ok) return reply.redirect(started.value.checkoutUrl, 303);
      if (started.error === 'payment.unavailable')
        return reply.redirect(`/requests/${requestId}/pay?unavailable=1`, 303);
      return reply.redirect(`/requests/${requestId}`, 303);
    },
  );

  /** The gateway sends the payer back here; the outcome is asked from the gateway, not read from the URL. */
  app.get<PayRoute>('/requests/:requestId/paid', async (request, reply) => {
    const { requestId } = request.params;
    const payment = await ownPayment(db, subscriberActor(request), requestId, request.query.payment ?? '');
    if (!payment) return reply.callNotFound();
    const reported = payment.providerRef ? await gateway.retrieve(payment.providerRef).catch(() => null) : null;
    const settled = reported ? await settlePayment(db, links, gateway.name, reported) : null;
    if (settled?.ok) onOutboxWrite();
    const status = settled?.ok ? settled.value.status : payment.status;
    if (status === 'failed') return reply.redirect(`/requests/${requestId}/pay?payment=${payment.id}`, 303);
    return reply.redirect(`/requests/${requestId}`, 303);
  });

  if (phone)
    app.post<{ Params: { requestId: string } }>(
      '/requests/:requestId/esim/simulated-phone',
      formRoute({}),
      async (request, reply) => {
        const { requestId } = request.params;
        const own = UUID.test(requestId) ? await app.accountViews.request(subscriberSession(request), requestId) : null;
        if (!own?.request.simId) return reply.callNotFound();
        const matchingId = await esimMatchingId(db, own.request.simId);
        if (matchingId && phone.installOnDevice(matchingId)) await phone.flushNotifications();
        return reply.redirect(`/requests/${requestId}`, 303);
      },
    );

  app.post<{ Params: { requestId: string } }>('/requests/:requestId/cancel', formRoute({}), async (request, reply) => {
    const { requestId } = request.params;
    if (!UUID.test(requestId)) return reply.callNotFound();
    const cancelled = await cancelRequest(db, links, subscriberActor(request), requestId);
    if (!cancelled.ok && cancelled.error === 'request.not_found') return reply.callNotFound();
    if (cancelled.ok) onOutboxWrite();
    return reply.redirect(`/requests/${requestId}`, 303);
  });
}
