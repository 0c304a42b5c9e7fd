import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { developerMailbox } from '../integrations/email/developer-mailbox.ts';
import { smtpMailer } from '../integrations/email/smtp-mailer.ts';
import type { PaymentGateway } from '../integrations/payments/payment-gateway.ts';
import { sandboxGateway } from '../integrations/payments/sandbox-gateway.ts';
import { YookassaGateway } from '../integrations/payments/yookassa-gateway.ts';
import { HttpProvisioning } from '../integrations/provisioning/http-provisioning.ts';
import type { Provisioning } from '../integrations/provisioning/provisioning.ts';
import { ProvisioningSimulator } from '../integrations/provisioning/simulator.ts';
import { smppSender } from '../integrations/sms/smpp-sender.ts';
import { configuredStorage } from '../integrations/storage/configured-storage.ts';

/**
 * The external systems as configured: real adapters where set, simulators otherwise (which the
 * configuration refuses in production unless SIMULATORS_ALLOWED says this is a staging deployment).
 */
export function configuredIntegrations(config: Config, db: Db) {
  const p = config.payments;
  const gateway: PaymentGateway =
    p.gateway === 'yookassa'
      ? new YookassaGateway({
          shopId: p.shopId,
          secretKey: p.secretKey,
          apiUrl: p.apiUrl,
          checkoutOrigin: p.checkoutOrigin,
        })
      : sandboxGateway(config, db);
  const provisioning: Provisioning =
    config.provisioning.kind === 'http'
      ? new HttpProvisioning(config.provisioning)
      : new ProvisioningSimulator(config.provisioning);
  return {
    gateway,
    provisioning,
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : developerMailbox,
    sms: config.smppUrl ? smppSender(config.smppUrl, config.smsSender) : developerMailbox,
    storage: configuredStorage(config),
  };
}
