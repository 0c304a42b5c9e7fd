import { z } from 'zod';
import type { ApiRequest, Page } from '../../../app/api/api-reads.ts';
import type { Payment } from '../../../app/payments/payments.ts';
import type { TimelineEvent } from '../../../app/requests/request-status.ts';
import { ACTOR_KINDS, PAYMENT_METHODS, PAYMENT_STATUSES } from '../../../db/schema/requests.ts';
import { DELIVERIES, DOCUMENT_TYPES, REASONS, SIM_TYPES } from '../../../domain/replacement.ts';
import { REQUEST_STATUSES } from '../../../domain/request-machine.ts';
import { Problem } from './problems.ts';

/** E.164 with its plus sign, as CAMARA writes numbers. */
export const PhoneNumber = z
  .string()
  .regex(/^\+[1-9][0-9]{4,14}$/)
  .meta({ id: 'PhoneNumber', example: '+79161234567' });
export const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const Address = z
  .object({
    city: z.string().max(100),
    street: z.string().max(200),
    building: z.string().max(40),
    flat: z.string().max(40).optional(),
    postcode: z.string().max(20).optional(),
    comment: z.string().max(500).optional(),
  })
  .meta({ id: 'Address' });

export const ReplacementRequest = z
  .object({
    id: Uuid,
    reference: z.string().meta({ example: 'R-7K3M9QX' }),
    status: z.enum(REQUEST_STATUSES),
    channel: z.enum(['online', 'counter']),
    phoneNumber: PhoneNumber,
    reason: z.enum(REASONS).nullable(),
    simType: z.enum(SIM_TYPES).nullable(),
    delivery: z.enum(DELIVERIES).nullable(),
    centerId: Uuid.nullable(),
    zoneId: Uuid.nullable(),
    contact: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }),
    deliveryAddress: Address.nullable(),
    fee: z.object({ amountMinor: z.number().int(), currency: z.string().length(3) }),
    riskScore: z.number().int(),
    riskSignals: z.array(z.string()),
    infoRequest: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    createdAt: Timestamp,
    submittedAt: Timestamp.nullable(),
    paidAt: Timestamp.nullable(),
    activatedAt: Timestamp.nullable(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'ReplacementRequest' });

export function requestBody(r: ApiRequest): z.infer<typeof ReplacementRequest> {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    channel: r.channel,
    phoneNumber: r.msisdn,
    reason: r.reason,
    simType: r.simType,
    delivery: r.delivery,
    centerId: r.centerId,
    zoneId: r.deliveryZoneId,
    contact: { name: r.contactName, phone: r.contactPhone, email: r.contactEmail },
    deliveryAddress: r.deliveryAddress,
    fee: { amountMinor: r.feeMinor, currency: r.currency },
    riskScore: r.riskScore,
    riskSignals: r.riskSignals,
    infoRequest: r.infoRequest,
    rejectionReason: r.rejectionReason,
    createdAt: r.createdAt.toISOString(),
    submittedAt: iso(r.submittedAt),
    paidAt: iso(r.paidAt),
    activatedAt: iso(r.activatedAt),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const PaymentResource = z
  .object({
    id: Uuid,
    method: z.enum(PAYMENT_METHODS),
    amountMinor: z.number().int(),
    currency: z.string().length(3),
    status: z.enum(PAYMENT_STATUSES),
    checkoutUrl: z.url().nullable().describe('Where the payer confirms the payment, while it is pending'),
    createdAt: Timestamp,
    succeededAt: Timestamp.nullable(),
    refundedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Payment' });

export const paymentBody = (p: Payment, checkoutUrl: string | null = null): z.infer<typeof PaymentResource> => ({
  id: p.id,
  method: p.method,
  amountMinor: p.amountMinor,
  currency: p.currency,
  status: p.status,
  checkoutUrl,
  createdAt: p.createdAt.toISOString(),
  succeededAt: iso(p.succeededAt),
  refundedAt: iso(p.refundedAt),
});

export const TimelineEntry = z
  .object({
    type: z.string(),
    fromStatus: z.enum(REQUEST_STATUSES).nullable(),
    toStatus: z.enum(REQUEST_STATUSES),
    actorKind: z.enum(ACTOR_KINDS),
    at: Timestamp,
  })
  .meta({ id: 'TimelineEntry' });

export const timelineBody = (e: TimelineEvent): z.infer<typeof TimelineEntry> => ({
  type: e.type,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  actorKind: e.actorKind,
  at: e.createdAt.toISOString(),
});

export const DocumentInput = z.object({
  docType: z.enum(DOCUMENT_TYPES),
  docNumber: z.string().min(1).max(40),
  contentBase64: z.base64().max(14_000_000).describe('The scan: JPEG, PNG or PDF, at most 10 MB once decoded'),
});

/** Where the next page starts: the last item's time and id, opaque to clients. */
export const Cursor = z.string().max(200).describe('From `nextCursor` of the previous page');
export const Limit = z.coerce.number().int().min(1).max(200).default(50);

export const encodeCursor = (next: Page<unknown>['next']) =>
  next ? Buffer.from(`${next.at.toISOString()}|${next.id}`).toString('base64url') : null;

export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | null | 'invalid' {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const when = new Date(at ?? '');
  return Number.isNaN(when.getTime()) || !Uuid.safeParse(id).success ? 'invalid' : { at: when, id: id as string };
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The problem answers a route may give, each as application/problem+json. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: `Problem (${s})`, content: { 'application/problem+json': { schema: Problem } } },
    ]),
  );
}
