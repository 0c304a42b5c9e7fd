import { auditCheckpointWriter, configuredAuditAnchor } from '../app/audit/audit-log.ts';
import { serviceMetrics } from '../app/metrics/service-metrics.ts';
import { operatorLinks } from '../app/operators/links.ts';
import { checkSharedSecrets, sharedSecrets } from '../app/platform/shared-secrets.ts';
import { DEMO_PASSWORD, DEMO_SUBSCRIBERS } from '../app/seed/demo-subscribers.ts';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET, isEmpty, seedDemo } from '../app/seed/seed.ts';
import { endLapsedSubscriptions } from '../app/sim-swap/swap-subscriptions.ts';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import { configuredCarrier } from '../integrations/carrier/carrier-simulator.ts';
import { SandboxGateway } from '../integrations/payments/sandbox-gateway.ts';
import { configuredSmdp } from '../integrations/smdp/smdp-simulator.ts';
import { allHandlers } from '../jobs/handlers.ts';
import { maintenance } from '../jobs/maintenance.ts';
import { outboxWorker } from '../jobs/outbox-worker.ts';
import { timedJob } from '../jobs/timed-job.ts';
import { buildApp } from '../web/app.ts';
import { openConfiguredDatabase } from './database.ts';
import { configuredIntegrations } from './integrations.ts';

/** How long a stop may take to finish requests and deliveries in flight before the process exits anyway. */
const STOP_SECONDS = 20;

/** Starts the product: migrate, seed an empty database in demo mode, listen, stop cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  console.log(
    `  Opening the database (${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}) and applying migrations…`,
  );
  const database = await openConfiguredDatabase(config);
  await checkSharedSecrets(database.db, sharedSecrets(config)).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  if (config.demo && (await isEmpty(database))) {
    console.log('  First start: loading the demo operators, centers, stock, subscribers and staff (up to a minute)…');
    await seedDemo(database, config.documentKey);
  }
  const links = operatorLinks(config.publicUrl, config.sessionSecret);
  const metrics = serviceMetrics(database);
  const { gateway, provisioning, mailer, sms, storage } = configuredIntegrations(config, database.db);
  const smdp = configuredSmdp(config);
  const worker = outboxWorker({
    db: database.db,
    handlers: allHandlers({
      db: database.db,
      links,
      provisioning: metrics.counting(provisioning),
      mailer,
      sms,
      gateway,
      smdp,
      documentKey: config.documentKey,
      partners: config.partners,
    }),
    onError: (error, message) => app.log.warn({ err: error, message }, 'outbox delivery failed'),
  });
  const carrier = configuredCarrier(config, database.db);
  const app = await buildApp({
    config,
    database,
    gateway,
    carrier,
    smdp,
    storage,
    metrics,
    onOutboxWrite: worker.kick,
  });
  const failed = (what: string) => (error: unknown) => app.log.error({ err: error }, `${what} failed`);
  const checkpoint = auditCheckpointWriter(database.db, configuredAuditAnchor(config));
  // Each runs once per period across every instance on the database (see timedJob).
  const jobs = [
    maintenance({ db: database.db, storage, gateway, links, everyMs: 5 * 60_000, onError: failed('maintenance job') }),
    timedJob(database.db, 'audit-checkpoint', 60_000, () => checkpoint(), failed('writing the audit checkpoint')),
    timedJob(
      database.db,
      'lapsed-subscriptions',
      15_000,
      async () => (await endLapsedSubscriptions(database.db)) > 0 && worker.kick(),
      failed('ending lapsed CAMARA subscriptions'),
    ),
    ...(carrier
      ? [timedJob(database.db, 'carrier-simulator', 30_000, () => carrier.tick(), failed('carrier simulator'))]
      : []),
  ];
  const stop = async () => {
    await Promise.all(jobs.map((job) => job.stop()));
    await app.close();
    await carrier?.flushNotifications();
    await smdp?.flushNotifications();
    if (gateway instanceof SandboxGateway) await gateway.flushWebhooks();
    await worker.stop();
    await database.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      app.log.info({ signal }, `stopping: finishing requests and deliveries in flight (up to ${STOP_SECONDS} s)`);
      const late = setTimeout(() => {
        app.log.error(`still busy after ${STOP_SECONDS} s: stopping anyway`);
        process.exit(1);
      }, STOP_SECONDS * 1000);
      late.unref();
      stop().then(
        () => app.log.info('stopped'),
        (error: unknown) => app.log.error({ err: error }, 'stopping failed'),
      );
    });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(`Port ${config.port} is in use by another program: stop it, or set PORT to a free one.`);
    if (code === 'EACCES')
      throw new UserError(`Port ${config.port} needs privileges this user lacks: set PORT above 1023.`);
    throw error;
  }
  worker.start();
  for (const job of jobs) job.start();
  const logins = DEMO_SUBSCRIBERS.filter((s) => s.operator === 'volna')
    .slice(0, 3)
    .map((s) => `    ${s.lines[0]!.msisdn}  ${DEMO_PASSWORD}  (${s.fullName}, ${s.locale})`);
  console.log(
    [
      '',
      `  simdesk is running at ${config.publicUrl}  (database: ${database.kind})`,
      ...(config.demo
        ? [
            '',
            '  Demo subscriber logins (phone number, password):',
            ...logins,
            '',
            `  Staff sign-in at ${config.publicUrl}/staff, password ${DEMO_STAFF_PASSWORD}, authenticator key ${DEMO_STAFF_TOTP_SECRET}:`,
            '    reviewer@volna.example        review queue: risk, identity scan, approve, reject, ask for information; reports',
            '    logistics@volna.example       reserve, book with the carrier, returns; inventory, transfers, stock upload',
            '    store-agent@volna.example     the counter at MSK-TVER: walk-ins, visit tickets, pickups',
            '    courier@volna.example         deliveries with the passport check at the door',
            '    admin@volna.example           all of the above, the audit log, reports and the operator settings',
            '    platform-admin@volna.example  every operator of the deployment; adds operators',
            '    (the same with @sever.example on the Sever site, except platform-admin)',
            '',
            `  The demo sends no real e-mail or SMS: codes and links it sends appear at ${config.publicUrl}/dev/mailbox`,
            `  It listens on ${config.host} only; set HOST=0.0.0.0 to let other machines in (its passwords are public).`,
            '',
          ]
        : []),
    ].join('\n'),
  );
}
