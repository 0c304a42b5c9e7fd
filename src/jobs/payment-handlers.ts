import { executeRefund } from '../app/payments/refunds.ts';
import type { Db } from '../db/client.ts';
import type { PaymentGateway } from '../integrations/payments/payment-gateway.ts';
import type { OutboxHandlers } from './outbox-worker.ts';

/** Outbox topics carried out by the payment gateway. */
export const paymentHandlers = (db: Db, gateway: PaymentGateway): Pick<OutboxHandlers, 'payment.refund'> => ({
  'payment.refund': ({ paymentId }) => executeRefund(db, gateway, paymentId),
});
