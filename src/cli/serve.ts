import { operatorLinks } from '../app/operators/links.ts';
import { DEMO_PASSWORD, DEMO_SUBSCRIBERS } from '../app/seed/demo-subscribers.ts';
import { isEmpty, seedDemo } from '../app/seed/seed.ts';
import type { Config } from '../config.ts';
import { developerMailbox } from '../integrations/email/developer-mailbox.ts';
import { smtpMailer } from '../integrations/email/smtp-mailer.ts';
import { sandboxGateway } from '../integrations/payments/sandbox-gateway.ts';
import { ProvisioningSimulator } from '../integrations/provisioning/simulator.ts';
import { smppSender } from '../integrations/sms/smpp-sender.ts';
import { LocalStorage } from '../integrations/storage/local-storage.ts';
import { maintenance } from '../jobs/maintenance.ts';
import { emailHandlers, smsHandlers } from '../jobs/message-handlers.ts';
import { type OutboxHandlers, outboxWorker } from '../jobs/outbox-worker.ts';
import { paymentHandlers } from '../jobs/payment-handlers.ts';
import { provisioningHandlers } from '../jobs/provisioning-handlers.ts';
import { buildApp } from '../web/app.ts';
import { openConfiguredDatabase } from './database.ts';

/** Starts the product: migrate, seed an empty database in demo mode, listen, stop cleanly on a signal. */
export async function serve(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  if (config.demo && (await isEmpty(database))) await seedDemo(database, config.documentKey);
  const gateway = sandboxGateway(config, database.db);
  const worker = outboxWorker({
    db: database.db,
    handlers: {
      ...provisioningHandlers(new ProvisioningSimulator({ maxLatencyMs: 300 })),
      ...emailHandlers(config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : developerMailbox),
      ...smsHandlers(config.smppUrl ? smppSender(config.smppUrl, config.smsSender) : developerMailbox),
      ...paymentHandlers(database.db, gateway),
    } satisfies OutboxHandlers,
    onError: (error, message) => app.log.warn({ err: error, message }, 'outbox delivery failed'),
  });
  const storage = new LocalStorage(config.documentsDir);
  const app = await buildApp({ config, database, gateway, storage, onOutboxWrite: worker.kick });
  const retention = maintenance({
    db: database.db,
    storage,
    gateway,
    links: operatorLinks(config.publicUrl, config.sessionSecret),
    everyMs: 5 * 60_000,
    onError: (error) => app.log.error({ err: error }, 'maintenance job failed'),
  });
  const stop = async () => {
    retention.stop();
    await app.close();
    await gateway.flushWebhooks();
    await worker.stop();
    await database.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  await app.listen({ host: config.host, port: config.port });
  worker.start();
  retention.start();
  const logins = DEMO_SUBSCRIBERS.filter((s) => s.operator === 'volna')
    .slice(0, 3)
    .map((s) => `    ${s.lines[0]!.msisdn}  ${DEMO_PASSWORD}  (${s.fullName}, ${s.locale})`);
  console.log(
    [
      '',
      `  simdesk is running at ${config.publicUrl}  (database: ${database.kind})`,
      ...(config.demo ? ['', '  Demo subscriber logins (phone number, password):', ...logins, ''] : []),
    ].join('\n'),
  );
}
