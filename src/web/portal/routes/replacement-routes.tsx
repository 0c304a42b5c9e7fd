import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import {
  hasFreshSecondFactor,
  maskEmail,
  type SecondFactorChannel,
  secondFactorChannels,
  sendSecondFactorCode,
  verifySecondFactor,
} from '../../../app/auth/second-factor.ts';
import type { SubscriberSession } from '../../../app/auth/sessions.ts';
import { DOCUMENT_MAX_BYTES } from '../../../app/documents/document-content.ts';
import { openDocument, saveIdentityDocument } from '../../../app/documents/identity-document.ts';
import type { OperatorProfile } from '../../../app/operators/operator-profile.ts';
import { quoteAnswers } from '../../../app/requests/fee-quote.ts';
import {
  type Draft,
  ownRequest,
  replacementIneligibility,
  saveAnswers,
  startReplacement,
} from '../../../app/requests/replacement-draft.ts';
import { submitReplacement } from '../../../app/requests/submit-replacement.ts';
import { maskMsisdn } from '../../../domain/msisdn.ts';
import type { Ineligibility } from '../../../domain/online-eligibility.ts';
import {
  type DraftAnswers,
  deliveriesFor,
  nextStep,
  previousStep,
  readContact,
  readDocument,
  reasonsFor,
  simTypesFor,
  stepsFor,
  WIZARD_STEPS,
  type WizardOffer,
  type WizardStep,
} from '../../../domain/replacement-wizard.ts';
import { formatDateTime } from '../../../i18n/translate.ts';
import { requireSubscriber } from '../../plugins/session.ts';
import { pageContext, sendPage } from '../../render.ts';
import type { FieldErrors } from '../../shared/form.tsx';
import { file, formRoute, line, text } from '../../shared/form-schema.ts';
import { phoneText } from '../../shared/phone-number.tsx';
import { ConfirmPage } from '../views/confirm-page.tsx';
import {
  CenterPage,
  CheckPage,
  type CheckRow,
  ContactPage,
  DeliveryPage,
  IdentityPage,
  IneligiblePage,
  ReasonPage,
  SimTypePage,
  type WizardView,
} from '../views/wizard-pages.tsx';
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

type Options = SubscriberRouteOptions;
type Body = FormBody;
type StepRoute = { Params: { requestId: string; step: string }; Querystring: { from?: string }; Body: Body };

/**
 * Every field of every wizard page, for the one route that takes them all; the caps are far
 * above the wizard's own limits, which answer with the page and what was typed.
 */
const STEP_FIELDS = {
  ...Object.fromEntries(['reason', 'simType', 'delivery', 'centerId', 'docType'].map((name) => [name, line(64)])),
  ...Object.fromEntries(
    ['contactName', 'contactPhone', 'contactEmail', 'city', 'street', 'building', 'flat', 'postcode', 'docNumber'].map(
      (name) => [name, line(1_000)],
    ),
  ),
  comment: text(2_000),
  document: file,
};
const STEP_MEDIA = ['application/x-www-form-urlencoded', 'multipart/form-data'] as const;
const isStep = (s: string): s is WizardStep => (WIZARD_STEPS as readonly string[]).includes(s);
const stepUrl = (requestId: string, step: WizardStep | 'check') => `/requests/${requestId}/${step}`;

/** The online replacement wizard: one question per page, check your answers, second factor, submission. */
export async function replacementRoutes(app: FastifyInstance, options: Options) {
  const { assets, demo, db, onOutboxWrite, vault, links } = options;
  app.addHook('onRequest', requireSubscriber);
  await acceptDocumentUploads(app);
  const actor = subscriberActor;

  const ineligiblePage = (request: FastifyRequest, reply: FastifyReply, refusal: Ineligibility) => {
    const ctx = pageContext(request, assets, demo);
    const until =
      refusal.reason === 'eligibility.cooling_off'
        ? formatDateTime(ctx.locale, refusal.until, ctx.operator?.timeZone ?? 'Europe/Moscow')
        : null;
    return sendPage(reply, <IneligiblePage ctx={ctx} reason={refusal.reason} until={until} />, 403);
  };

  app.post<{ Params: { lineId: string } }>('/lines/:lineId/replace', formRoute({}), async (request, reply) => {
    if (!UUID.test(request.params.lineId)) return reply.callNotFound();
    const started = await startReplacement(db, actor(request), request.params.lineId);
    if (started.ok) return reply.redirect(`/requests/${started.value.requestId}`, 303);
    if (started.error.reason === 'line.not_found') return reply.callNotFound();
    return ineligiblePage(request, reply, started.error);
  });

  /** The draft behind a wizard URL; a submitted request goes to its status page, anyone else's is not found. */
  const draftOf = async (request: FastifyRequest<{ Params: { requestId: string } }>, reply: FastifyReply) => {
    const { requestId } = request.params;
    const draft = UUID.test(requestId) ? await app.accountViews.draft(subscriberSession(request), requestId) : null;
    if (draft) return draft;
    if (UUID.test(requestId) && (await ownRequest(db, actor(request), requestId)))
      reply.redirect(`/requests/${requestId}`, 303);
    else reply.callNotFound();
    return null;
  };

  const viewOf = (
    request: FastifyRequest<StepRoute>,
    reply: FastifyReply,
    draft: Draft,
    offer: WizardOffer,
    step: WizardStep | 'check',
    input: Record<string, string> = {},
    errors: FieldErrors = {},
  ): WizardView => {
    const fromCheck = request.query.from === 'check';
    const previous = previousStep(step, draft.answers, offer);
    return {
      ctx: pageContext(request, assets, demo),
      requestId: draft.request.id,
      msisdn: draft.msisdn,
      answers: draft.answers,
      input,
      errors,
      csrf: reply.csrfToken(),
      back: fromCheck
        ? stepUrl(draft.request.id, 'check')
        : previous
          ? stepUrl(draft.request.id, previous)
          : '/account',
      fromCheck,
    };
  };

  const renderStep = (view: WizardView, step: WizardStep, draft: Draft, profile: OperatorProfile): VNode => {
    const { offer } = profile;
    switch (step) {
      case 'reason':
        return <ReasonPage view={view} reasons={reasonsFor(offer)} />;
      case 'sim-type':
        return <SimTypePage view={view} simTypes={simTypesFor(draft.answers.reason, offer)} />;
      case 'delivery': {
        const pickup = deliveriesFor(draft.answers.simType, offer).includes('pickup');
        return <DeliveryPage view={view} zones={profile.zones} pickup={pickup} />;
      }
      case 'center':
        return <CenterPage view={view} centers={profile.centers.filter((c) => offer.centerIds.includes(c.id))} />;
      case 'contact':
        return <ContactPage view={view} />;
      case 'identity': {
        const saved = openDocument(vault, draft.document);
        return <IdentityPage view={view} saved={saved} maxMegabytes={DOCUMENT_MAX_BYTES / 1024 / 1024} />;
      }
    }
  };

  /** The draft and offer behind a question page; a page the draft does not need goes to the one it does. */
  const openStep = async (request: FastifyRequest<StepRoute>, reply: FastifyReply) => {
    const { step } = request.params;
    if (!isStep(step)) {
      reply.callNotFound();
      return null;
    }
    const draft = await draftOf(request, reply);
    if (!draft) return null;
    const profile = await app.operatorProfile(request.operator);
    if (!stepsFor(draft.answers, profile.offer).includes(step)) {
      reply.redirect(stepUrl(draft.request.id, nextStep(draft.answers, profile.offer)), 303);
      return null;
    }
    return { draft, profile, step };
  };

  app.get<StepRoute>('/requests/:requestId/:step', async (request, reply) => {
    if (request.params.step === 'check') return checkPage(request, reply);
    const open = await openStep(request, reply);
    if (!open) return reply;
    const { draft, profile, step } = open;
    return sendPage(reply, renderStep(viewOf(request, reply, draft, profile.offer, step), step, draft, profile));
  });

  /** A page's answers, or what is wrong with them. */
  const readStep = (
    step: Exclude<WizardStep, 'identity'>,
    body: Body | undefined,
    draft: Draft,
    offer: WizardOffer,
  ) => {
    const value = (name: string) => formText(body, name) ?? '';
    switch (step) {
      case 'reason': {
        const reason = reasonsFor(offer).find((r) => r === value('reason'));
        return reason ? { patch: { reason } } : { errors: { reason: 'wizard.reason_missing' as const } };
      }
      case 'sim-type': {
        const simType = simTypesFor(draft.answers.reason, offer).find((s) => s === value('simType'));
        return simType ? { patch: { simType } } : { errors: { simType: 'wizard.sim_type_missing' as const } };
      }
      case 'delivery': {
        const delivery = deliveriesFor(draft.answers.simType, offer).find((d) => d === value('delivery'));
        return delivery ? { patch: { delivery } } : { errors: { delivery: 'wizard.delivery_missing' as const } };
      }
      case 'center': {
        const centerId = offer.centerIds.find((c) => c === value('centerId'));
        return centerId ? { patch: { centerId } } : { errors: { centerId: 'wizard.center_missing' as const } };
      }
      case 'contact': {
        const contact = readContact(
          Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
          draft.answers.delivery,
          offer,
        );
        return contact.ok ? { patch: contact.value } : { errors: contact.error };
      }
    }
  };

  app.post<StepRoute>('/requests/:requestId/:step', formRoute(STEP_FIELDS, STEP_MEDIA), async (request, reply) => {
    const open = await openStep(request, reply);
    if (!open) return reply;
    const { draft, profile, step } = open;
    const { offer } = profile;
    const refuse = async (errors: FieldErrors) =>
      sendPage(
        reply,
        renderStep(viewOf(request, reply, draft, offer, step, typedFields(request.body), errors), step, draft, profile),
        400,
      );

    let answers: DraftAnswers;
    if (step === 'identity') {
      const saved = await saveIdentity(request, draft);
      if ('errors' in saved) return refuse(saved.errors);
      answers = saved.answers;
    } else {
      const read = readStep(step, request.body, draft, offer);
      if ('errors' in read) return refuse(read.errors as FieldErrors);
      const saved = await saveAnswers(db, actor(request), draft.request.id, read.patch);
      if (!saved.ok) return reply.redirect(stepUrl(draft.request.id, step), 303);
      answers = saved.value;
    }
    return reply.redirect(stepUrl(draft.request.id, nextStep(answers, offer)), 303);
  });

  /** The identity page: type and number are stored even when the file is refused. */
  const saveIdentity = async (
    request: FastifyRequest<StepRoute>,
    draft: Draft,
  ): Promise<{ answers: DraftAnswers } | { errors: FieldErrors }> => {
    const body = request.body;
    const document = readDocument({ docType: formText(body, 'docType'), docNumber: formText(body, 'docNumber') });
    const file = uploaded(body, 'document');
    const errors: FieldErrors = document.ok ? {} : { ...document.error };
    if (file?.truncated) errors.document = 'document.too_large';
    if (!document.ok) return { errors };
    const saved = await saveIdentityDocument(db, vault, actor(request), draft.request.id, {
      ...document.value,
      file: file && !file.truncated ? file.content : null,
    });
    if (!saved.ok) {
      if (saved.error !== 'draft.not_found') errors.document = saved.error;
      return { errors };
    }
    if (!saved.value.uploaded) errors.document ??= 'document.missing';
    if (Object.keys(errors).length > 0) return { errors };
    return { answers: { ...draft.answers, documentUploaded: true } };
  };

  const checkPage = async (request: FastifyRequest<StepRoute>, reply: FastifyReply, problem: string | null = null) => {
    const draft = await draftOf(request, reply);
    if (!draft) return reply;
    const profile = await app.operatorProfile(request.operator);
    const next = nextStep(draft.answers, profile.offer);
    if (next !== 'check') return reply.redirect(stepUrl(draft.request.id, next), 303);
    const view = viewOf(request, reply, draft, profile.offer, 'check');
    const rows = checkRows(view, draft, profile);
    const quote = quoteAnswers(profile, draft.answers, draft.previousReplacements, new Date());
    const page = (
      <CheckPage
        view={view}
        rows={rows}
        quote={quote.ok ? quote.value : null}
        currency={view.ctx.operator?.currency ?? 'RUB'}
        problem={problem ?? (quote.ok ? null : view.ctx.t('fee.no_rule'))}
      />
    );
    return sendPage(reply, page, problem ? 409 : 200);
  };

  const checkRows = (view: WizardView, draft: Draft, profile: OperatorProfile): CheckRow[] => {
    const { t, locale } = view.ctx;
    const a = draft.answers;
    const steps = stepsFor(a, profile.offer);
    const zone = profile.zones.find((z) => z.id === a.zoneId);
    const center = profile.centers.find((c) => c.id === a.centerId);
    const document = openDocument(vault, draft.document);
    const address = a.deliveryAddress;
    const rows: (CheckRow | false)[] = [
      { step: 'reason', label: t('wizard.check.reason'), value: a.reason ? t(`reason.${a.reason}`) : '' },
      steps.includes('sim-type') && {
        step: 'sim-type',
        label: t('wizard.check.simType'),
        value: a.simType ? t(`simType.${a.simType}`) : '',
      },
      steps.includes('delivery') && {
        step: 'delivery',
        label: t('wizard.check.delivery'),
        value: zone
          ? `${t('wizard.delivery.courier', { zone: zone.name[locale] })} (${t('wizard.days', { min: zone.minDays, max: zone.maxDays })})`
          : t('wizard.delivery.pickup'),
      },
      center !== undefined && {
        step: 'center',
        label: t('wizard.check.center'),
        value: `${center.name[locale]}, ${center.address[locale]}`,
      },
      {
        step: 'contact',
        label: t('wizard.check.contact'),
        value: [a.contactName, a.contactPhone && phoneText(a.contactPhone), a.contactEmail].filter(Boolean).join(', '),
      },
      address !== null && {
        step: 'contact',
        label: t('wizard.check.address'),
        value: [address.postcode, address.city, address.street, address.building, address.flat]
          .filter(Boolean)
          .join(', '),
      },
      {
        step: 'identity',
        label: t('wizard.check.document'),
        value: document ? `${t(`document.${document.docType}`)}, ${document.docNumber}` : '',
      },
    ];
    return rows.filter((r): r is CheckRow => r !== false);
  };

  /** Sends the draft; the second factor has been passed in this session. */
  const submitDraft = async (request: FastifyRequest<StepRoute>, reply: FastifyReply) => {
    const { requestId } = request.params;
    const submitted = await submitReplacement(db, links, vault.key, actor(request), requestId);
    if (submitted.ok) {
      onOutboxWrite();
      return reply.redirect(`/requests/${requestId}?submitted=1`, 303);
    }
    switch (submitted.error) {
      case 'draft.not_found':
        return reply.redirect(`/requests/${requestId}`, 303);
      case 'draft.incomplete':
      case 'draft.changed':
        return reply.redirect(stepUrl(requestId, 'check'), 303);
      case 'fee.no_rule':
        return checkPage(request, reply, request.t('fee.no_rule'));
      default: {
        const refusal = await replacementIneligibility(db, actor(request));
        return ineligiblePage(request, reply, refusal ?? ({ reason: submitted.error } as Ineligibility));
      }
    }
  };

  const sessionActor = (request: FastifyRequest) => ({
    ...actor(request),
    sessionId: (request.session as SubscriberSession).id,
  });

  const sendCode = async (request: FastifyRequest<StepRoute>, reply: FastifyReply, channel: SecondFactorChannel) => {
    const sent = await sendSecondFactorCode(db, sessionActor(request), channel);
    if (sent.ok) onOutboxWrite();
    const error = sent.ok ? '' : `&error=${sent.error === 'second_factor.too_many' ? 'too_many' : 'no_channel'}`;
    return reply.redirect(`/requests/${request.params.requestId}/confirm?via=${channel}${error}`, 303);
  };

  app.post<StepRoute>('/requests/:requestId/submit', formRoute({}), async (request, reply) => {
    const draft = await draftOf(request, reply);
    if (!draft) return reply;
    if (hasFreshSecondFactor((request.session as SubscriberSession).secondFactorAt)) return submitDraft(request, reply);
    const channels = await secondFactorChannels(db, actor(request));
    return sendCode(request, reply, channels.email ? 'email' : 'sms');
  });

  type ConfirmRoute = StepRoute & { Querystring: { via?: string; error?: string } };
  const confirmPage = async (request: FastifyRequest<ConfirmRoute>, reply: FastifyReply, errors: FieldErrors) => {
    const draft = await draftOf(request, reply);
    if (!draft) return reply;
    const channels = await secondFactorChannels(db, actor(request));
    const via: SecondFactorChannel =
      request.query.via === 'sms' && channels.sms ? 'sms' : channels.email ? 'email' : 'sms';
    const destination = channels[via];
    if (!destination) return reply.redirect(stepUrl(draft.request.id, 'check'), 303);
    const other = via === 'email' ? (channels.sms ? 'sms' : null) : channels.email ? 'email' : null;
    const page = (
      <ConfirmPage
        ctx={pageContext(request, assets, demo)}
        requestId={draft.request.id}
        via={via}
        to={via === 'email' ? maskEmail(destination) : maskMsisdn(destination)}
        other={other}
        errors={request.query.error === 'too_many' ? { code: 'second_factor.too_many', ...errors } : errors}
        csrf={reply.csrfToken()}
      />
    );
    return sendPage(reply, page, Object.keys(errors).length > 0 ? 400 : 200);
  };

  app.get<ConfirmRoute>('/requests/:requestId/confirm', (request, reply) => confirmPage(request, reply, {}));

  app.post<ConfirmRoute>(
    '/requests/:requestId/confirm/send',
    formRoute({ channel: line(8) }),
    async (request, reply) => {
      const draft = await draftOf(request, reply);
      if (!draft) return reply;
      return sendCode(request, reply, formText(request.body, 'channel') === 'sms' ? 'sms' : 'email');
    },
  );

  app.post<ConfirmRoute>('/requests/:requestId/confirm', formRoute({ code: line(32) }), async (request, reply) => {
    const draft = await draftOf(request, reply);
    if (!draft) return reply;
    const code = formText(request.body, 'code') ?? '';
    if (!(await verifySecondFactor(db, sessionActor(request), code)))
      return confirmPage(request, reply, { code: 'second_factor.wrong' });
    return submitDraft(request, reply);
  });
}
