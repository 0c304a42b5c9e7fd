import type { Links } from '../app/operators/links.ts';
import type { Db } from '../db/client.ts';
import type { Mailer } from '../integrations/email/mailer.ts';
import type { OutboundPolicy } from '../integrations/outbound/partner-post.ts';
import type { PaymentGateway } from '../integrations/payments/payment-gateway.ts';
import type { Provisioning } from '../integrations/provisioning/provisioning.ts';
import type { SmdpPlus } from '../integrations/smdp/smdp.ts';
import type { SmsSender } from '../integrations/sms/sms-sender.ts';
import { accountHandlers } from './account-handlers.ts';
import { camaraHandlers } from './camara-handlers.ts';
import { esimHandlers } from './esim-handlers.ts';
import { emailHandlers, smsHandlers } from './message-handlers.ts';
import type { OutboxHandlers } from './outbox-worker.ts';
import { paymentHandlers } from './payment-handlers.ts';
import { provisioningHandlers } from './provisioning-handlers.ts';
import { webhookHandlers } from './webhook-handlers.ts';

export type Integrations = {
  db: Db;
  links: Links;
  provisioning: Provisioning;
  /** The SM-DP+ eSIM profiles are ordered from; null when they are loaded into stock. */
  smdp: SmdpPlus | null;
  mailer: Mailer;
  sms: SmsSender;
  gateway: PaymentGateway;
  /** Opens the webhook subscriptions' signing secrets and the CAMARA sinks' tokens. */
  documentKey: Buffer;
  /** Where partners' webhooks and sinks may point. */
  partners: OutboundPolicy;
};

/** A handler for every outbox topic, each delivering through its integration. */
export const allHandlers = (i: Integrations): OutboxHandlers => ({
  ...accountHandlers(i.db, i.links),
  ...provisioningHandlers(i.db, i.provisioning),
  ...emailHandlers(i.mailer),
  ...smsHandlers(i.sms),
  ...paymentHandlers(i.db, i.gateway),
  ...webhookHandlers(i.db, i.documentKey, i.partners),
  ...camaraHandlers(i.db, i.documentKey, i.partners),
  ...esimHandlers(i.db, i.links, i.smdp),
});
