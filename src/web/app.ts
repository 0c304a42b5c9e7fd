import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { accessTokens } from '../app/api/access-tokens.ts';
import { RevokedClients } from '../app/api/revoked-clients.ts';
import { type UsageMeter, usageMeter } from '../app/api/usage-meter.ts';
import { type AuditAnchor, configuredAuditAnchor } from '../app/audit/audit-log.ts';
import { type PdfRenderer, pdfRenderer } from '../app/documents/pdf-renderer.ts';
import { type ServiceMetrics, serviceMetrics } from '../app/metrics/service-metrics.ts';
import { operatorLinks } from '../app/operators/links.ts';
import { SwapIndex } from '../app/sim-swap/swap-index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Carrier } from '../integrations/carrier/carrier.ts';
import { CarrierSimulator, configuredCarrier } from '../integrations/carrier/carrier-simulator.ts';
import type { PaymentGateway } from '../integrations/payments/payment-gateway.ts';
import { SandboxGateway, sandboxGateway } from '../integrations/payments/sandbox-gateway.ts';
import type { SmdpPlus } from '../integrations/smdp/smdp.ts';
import { configuredSmdp, SmdpSimulator } from '../integrations/smdp/smdp-simulator.ts';
import { configuredStorage } from '../integrations/storage/configured-storage.ts';
import type { DocumentStorage } from '../integrations/storage/document-storage.ts';
import { apiCaller } from './api/client-allowance.ts';
import { oauthRoutes } from './api/oauth-routes.ts';
import { simSwapRoutes } from './api/sim-swap-routes.ts';
import { swapSubscriptionRoutes } from './api/swap-subscription-routes.ts';
import { apiRoutes } from './api/v1/api-v1.ts';
import { registerAssets } from './assets.ts';
import { accountViews } from './plugins/account-views.ts';
import { csrfPlugin } from './plugins/csrf.ts';
import { badAddress, registerErrorPages } from './plugins/errors.tsx';
import { i18nPlugin } from './plugins/i18n.ts';
import { loggerOptions } from './plugins/log-redaction.ts';
import { operatorResolver } from './plugins/operator.ts';
import { returnPathsPlugin } from './plugins/return-paths.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { sessions } from './plugins/session.ts';
import { accountRoutes } from './portal/routes/account-routes.tsx';
import { activationRoutes } from './portal/routes/activation-routes.tsx';
import { centerRoutes } from './portal/routes/center-routes.tsx';
import { passwordRoutes } from './portal/routes/password-routes.tsx';
import { publicPages } from './portal/routes/public-pages.tsx';
import { replacementRoutes } from './portal/routes/replacement-routes.tsx';
import { requestRoutes } from './portal/routes/request-routes.tsx';
import { settingsRoutes } from './portal/routes/settings-routes.tsx';
import { signInRoutes } from './portal/routes/sign-in-routes.tsx';
import { visitRoutes } from './portal/routes/visit-routes.tsx';
import { wasntMeRoutes } from './portal/routes/wasnt-me-routes.tsx';
import { sandboxRoutes } from './sandbox/sandbox-routes.tsx';
import { formBodiesPlugin } from './shared/form-schema.ts';
import { apiClientRoutes } from './staff/api-client-routes.tsx';
import { auditRoutes } from './staff/audit-routes.tsx';
import { counterRoutes } from './staff/counter-routes.tsx';
import { courierRoutes } from './staff/courier-routes.tsx';
import { enrolmentRoutes } from './staff/enrolment-routes.tsx';
import { frozenRoutes } from './staff/frozen-routes.tsx';
import { inventoryRoutes } from './staff/inventory-routes.tsx';
import { logisticsRoutes } from './staff/logistics-routes.tsx';
import { pickupRoutes } from './staff/pickup-routes.tsx';
import { platformRoutes } from './staff/platform-routes.tsx';
import { refundRoutes } from './staff/refund-routes.tsx';
import { reportRoutes } from './staff/report-routes.tsx';
import { reviewRoutes } from './staff/review-routes.tsx';
import { operatorSettingsRoutes } from './staff/settings-routes.tsx';
import { staffSessions } from './staff/staff-session.ts';
import { staffSignInRoutes } from './staff/staff-sign-in-routes.tsx';
import { stuckDeliveryRoutes } from './staff/stuck-delivery-routes.tsx';
import { webhookRoutes } from './staff/webhook-routes.tsx';
import { healthRoutes } from './system/health.ts';
import { mailboxRoutes } from './system/mailbox-routes.tsx';
import { metricsRoutes } from './system/metrics.ts';
import { carrierWebhookRoutes } from './webhooks/carrier-webhook-routes.ts';
import { paymentWebhookRoutes } from './webhooks/payment-webhook-routes.ts';
import { smdpWebhookRoutes } from './webhooks/smdp-webhook-routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** API calls counted for billing; tests flush it to read the counts. */
    apiUsage: UsageMeter;
    /** The SIM Swap API's in-memory history; tests and benchmarks wait for it to settle. */
    swapIndex: SwapIndex;
  }
}

export type AppOptions = {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Called after a request commits outbox messages, so the worker delivers them at once. */
  onOutboxWrite?: () => void;
  /** Where encrypted identity documents go; a local directory unless a test or deployment passes another. */
  storage?: DocumentStorage;
  /** Where the audit log's signed checkpoints are read from, for the audit page. */
  auditAnchor?: AuditAnchor;
  /** The payment gateway; the built-in sandbox unless another is passed. */
  gateway?: PaymentGateway;
  /** The carrier parcels are booked with; as configured unless passed (null: tracking numbers typed by hand). */
  carrier?: Carrier | null;
  /** The SM-DP+ eSIM profiles are ordered from; as configured unless passed (null: profiles loaded into stock). */
  smdp?: SmdpPlus | null;
  /** The worker pool uploaded PDFs are rendered in; one of the app's own unless passed (and then not closed with it). */
  pdf?: PdfRenderer;
  /** The clock of what depends on the hour (a center open now); tests fix it. */
  now?: () => Date;
  /** Prometheus metrics; the app's own unless passed (`simdesk serve` shares them with the outbox worker). */
  metrics?: ServiceMetrics;
};

/** Builds the whole web application without listening, so tests drive it with `inject`. */
export async function buildApp({
  config,
  database,
  logger,
  onOutboxWrite = () => {},
  storage = configuredStorage(config),
  auditAnchor = configuredAuditAnchor(config),
  gateway = sandboxGateway(config, database.db),
  carrier = configuredCarrier(config, database.db),
  smdp = configuredSmdp(config),
  pdf,
  now = () => new Date(),
  metrics = serviceMetrics(database),
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    frameworkErrors: badAddress,
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  const renderer = pdf ?? pdfRenderer({ threads: config.pdfThreads });
  if (!pdf) app.addHook('onClose', () => renderer.close());

  await app.register(returnPathsPlugin);
  await app.register(formBodiesPlugin);
  await app.register(securityHeadersPlugin, { formActionOrigins: gateway.redirectOrigins });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(i18nPlugin);
  await app.register(operatorResolver, { database, defaultOperator: config.defaultOperator });
  await app.register(sessions, { database });
  await app.register(staffSessions, { db: database.db });
  await app.register(accountViews, { db: database.db });
  await app.register(csrfPlugin);

  const assets = await registerAssets(app);
  registerErrorPages(app, { assets, demo: config.demo });
  await app.register(healthRoutes, { database });
  await app.register(metricsRoutes, { metrics, token: config.metricsToken });
  await app.register(publicPages, { assets, demo: config.demo });
  await app.register(centerRoutes, { assets, demo: config.demo, db: database.db, now });
  const pages = { assets, demo: config.demo, db: database.db };
  await app.register(signInRoutes, pages);
  await app.register(accountRoutes, { ...pages, onOutboxWrite });
  await app.register(settingsRoutes, { ...pages, onOutboxWrite });
  const links = operatorLinks(config.publicUrl, config.sessionSecret);
  await app.register(visitRoutes, { assets, demo: config.demo, db: database.db, links, onOutboxWrite, now });
  const revoked = await RevokedClients.start(database);
  app.addHook('onClose', () => revoked.stop());
  const tokens = accessTokens(config.sessionSecret, revoked);
  const caller = apiCaller(tokens, database, now);
  const usage = usageMeter(database.db);
  app.decorate('apiUsage', usage);
  app.addHook('onClose', () => usage.stop());
  await app.register(oauthRoutes, { db: database.db, tokens, now });
  const index = await SwapIndex.start(database);
  app.decorate('swapIndex', index);
  app.addHook('onClose', () => index.stop());
  const replica = database.replica ? database.reads : null;
  await app.register(simSwapRoutes, { db: database.db, replica, caller, usage, index, now });
  await app.register(swapSubscriptionRoutes, {
    db: database.db,
    caller,
    usage,
    documentKey: config.documentKey,
    partners: config.partners,
    now,
  });
  await app.register(passwordRoutes, { ...pages, onOutboxWrite });
  const subscriber = { ...pages, onOutboxWrite, links, vault: { storage, key: config.documentKey, pdf: renderer } };
  await app.register(replacementRoutes, subscriber);
  await app.register(requestRoutes, { ...subscriber, gateway, smdp });
  await app.register(apiRoutes, {
    db: database.db,
    caller,
    links,
    vault: subscriber.vault,
    gateway,
    partners: config.partners,
    onOutboxWrite,
    now,
  });
  await app.register(activationRoutes, { ...pages, onOutboxWrite, links });
  await app.register(paymentWebhookRoutes, { db: database.db, gateway, onOutboxWrite, links });
  if (gateway instanceof SandboxGateway) {
    await app.register(sandboxRoutes, { assets, demo: config.demo, sandbox: gateway });
    gateway.connect(async (body, signature) =>
      app.inject({
        method: 'POST',
        url: `/webhooks/payments/${gateway.name}`,
        headers: { 'content-type': 'application/json', 'x-signature': signature },
        payload: body,
      }),
    );
  }
  if (carrier) {
    await app.register(carrierWebhookRoutes, { db: database.db, carrier, onOutboxWrite, links });
    if (carrier instanceof CarrierSimulator)
      carrier.connect(async (body, signature) =>
        app.inject({
          method: 'POST',
          url: `/webhooks/carriers/${carrier.name}`,
          headers: { 'content-type': 'application/json', 'x-carrier-signature': signature },
          payload: body,
        }),
      );
  }
  if (smdp) {
    await app.register(smdpWebhookRoutes, { db: database.db, smdp });
    if (smdp instanceof SmdpSimulator)
      smdp.connect(async (body, signature) =>
        app.inject({
          method: 'POST',
          url: `/webhooks/smdp/${smdp.name}`,
          headers: { 'content-type': 'application/json', 'x-smdp-signature': signature },
          payload: body,
        }),
      );
  }
  await app.register(wasntMeRoutes, { ...pages, links });
  await app.register(staffSignInRoutes, { ...pages, documentKey: config.documentKey });
  await app.register(enrolmentRoutes, pages);
  await app.register(reviewRoutes, { ...subscriber, reads: database.reads, links });
  await app.register(logisticsRoutes, { ...pages, links, onOutboxWrite, carrier });
  await app.register(auditRoutes, { ...pages, auditAnchor });
  await app.register(stuckDeliveryRoutes, { ...pages, onOutboxWrite });
  await app.register(refundRoutes, { ...pages, onOutboxWrite });
  await app.register(frozenRoutes, { ...pages, links, onOutboxWrite });
  await app.register(webhookRoutes, { ...pages, documentKey: config.documentKey, partners: config.partners });
  await app.register(reportRoutes, { ...pages, db: database.reads, now });
  await app.register(platformRoutes, { ...pages, documentKey: config.documentKey, links, onOutboxWrite });
  await app.register(apiClientRoutes, pages);
  await app.register(operatorSettingsRoutes, { ...pages, documentKey: config.documentKey });
  await app.register(inventoryRoutes, { assets, demo: config.demo, database });
  await app.register(courierRoutes, { ...pages, links, documentKey: config.documentKey, onOutboxWrite });
  await app.register(pickupRoutes, { ...pages, links, documentKey: config.documentKey, onOutboxWrite });
  await app.register(counterRoutes, { ...pages, links, documentKey: config.documentKey, onOutboxWrite });
  if (config.demo) await app.register(mailboxRoutes, pages);
  return app;
}
