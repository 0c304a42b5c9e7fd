import { err, ok, type Result } from './result.ts';

/**
 * CAMARA SIM Swap Subscriptions 0.3.0 (`sim-swap-subscriptions.yaml`): what a subscription
 * request may say, checked in the order of its error list, and the CloudEvents it leads to.
 */

export const SWAPPED = 'org.camaraproject.sim-swap-subscriptions.v0.swapped';
export const SUBSCRIPTION_ENDED = 'org.camaraproject.sim-swap-subscriptions.v0.subscription-ended';
const PROTOCOLS = ['HTTP', 'MQTT3', 'MQTT5', 'AMQP', 'NATS', 'KAFKA'];
const CREDENTIAL_TYPES = ['PLAIN', 'ACCESSTOKEN', 'REFRESHTOKEN'];
const PHONE = /^\+[1-9][0-9]{4,14}$/;
/** RFC 3339 with a time zone, as the specification requires of every date-time. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export type SubscriptionAsk = {
  sink: string;
  /** From `config.subscriptionDetail`; the token's number applies when absent. */
  phoneNumber: string | null;
  sinkToken: { token: string; expiresAt: Date } | null;
  expiresAt: Date | null;
  maxEvents: number | null;
};

export type AskProblem = {
  code:
    | 'INVALID_ARGUMENT'
    | 'OUT_OF_RANGE'
    | 'INVALID_PROTOCOL'
    | 'INVALID_CREDENTIAL'
    | 'INVALID_TOKEN'
    | 'INVALID_SINK';
  message?: string;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const dateTime = (v: unknown): Date | null => (typeof v === 'string' && DATE_TIME.test(v) ? new Date(v) : null);
const invalid = (message: string) => err<AskProblem>({ code: 'INVALID_ARGUMENT', message });

/** The sink's access token: only an unexpired bearer `ACCESSTOKEN` is taken. */
function readCredential(credential: unknown, now: Date): Result<SubscriptionAsk['sinkToken'], AskProblem> {
  if (credential === undefined) return ok(null);
  if (!isObject(credential) || !CREDENTIAL_TYPES.includes(credential.credentialType as string))
    return invalid('sinkCredential.credentialType is not valid');
  if (credential.credentialType !== 'ACCESSTOKEN') return err({ code: 'INVALID_CREDENTIAL' });
  if (credential.accessTokenType !== 'bearer') return err({ code: 'INVALID_TOKEN' });
  const expiresAt = dateTime(credential.accessTokenExpiresUtc);
  if (typeof credential.accessToken !== 'string' || credential.accessToken.length === 0 || !expiresAt)
    return invalid('sinkCredential needs accessToken and accessTokenExpiresUtc');
  if (expiresAt <= now) return err({ code: 'OUT_OF_RANGE', message: 'accessTokenExpiresUtc is in the past' });
  return ok({ token: credential.accessToken, expiresAt });
}

/** A subscription request's fields, or the error the specification gives for the first fault. */
export function readSubscriptionAsk(
  body: unknown,
  now: Date,
  sinkAllowed: (url: string) => boolean,
): Result<SubscriptionAsk, AskProblem> {
  if (!isObject(body)) return invalid('The body must be a JSON object');
  if (!PROTOCOLS.includes(body.protocol as string)) return invalid('protocol is not valid');
  if (body.protocol !== 'HTTP') return err({ code: 'INVALID_PROTOCOL' });
  if (typeof body.sink !== 'string') return invalid('sink is required');
  if (!sinkAllowed(body.sink)) return err({ code: 'INVALID_SINK' });
  const types = body.types;
  if (!Array.isArray(types) || types.length !== 1 || types[0] !== SWAPPED) return invalid(`types must be [${SWAPPED}]`);
  const config = body.config;
  if (!isObject(config) || !isObject(config.subscriptionDetail))
    return invalid('config.subscriptionDetail is required');
  const phoneNumber = config.subscriptionDetail.phoneNumber;
  if (phoneNumber !== undefined && (typeof phoneNumber !== 'string' || !PHONE.test(phoneNumber)))
    return invalid('config.subscriptionDetail.phoneNumber is not an E.164 number');
  let expiresAt: Date | null = null;
  if (config.subscriptionExpireTime !== undefined) {
    expiresAt = dateTime(config.subscriptionExpireTime);
    if (!expiresAt) return invalid('config.subscriptionExpireTime is not an RFC 3339 date-time with a time zone');
    if (expiresAt <= now) return err({ code: 'OUT_OF_RANGE', message: 'config.subscriptionExpireTime is in the past' });
  }
  const maxEvents = config.subscriptionMaxEvents;
  if (
    maxEvents !== undefined &&
    (!Number.isInteger(maxEvents) || (maxEvents as number) < 1 || (maxEvents as number) > MAX_EVENTS)
  )
    return invalid(`config.subscriptionMaxEvents must be an integer from 1 to ${MAX_EVENTS}`);
  const sinkToken = readCredential(body.sinkCredential, now);
  if (!sinkToken.ok) return sinkToken;
  return ok({
    sink: body.sink,
    phoneNumber: (phoneNumber as string | undefined) ?? null,
    sinkToken: sinkToken.value,
    expiresAt,
    maxEvents: (maxEvents as number | undefined) ?? null,
  });
}

/** The most events a subscription may ask for (an int column; no bank needs more). */
const MAX_EVENTS = 1_000_000;

export const TERMINATION_REASONS = [
  'MAX_EVENTS_REACHED',
  'NETWORK_TERMINATED',
  'SUBSCRIPTION_EXPIRED',
  'ACCESS_TOKEN_EXPIRED',
  'SUBSCRIPTION_DELETED',
] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

export type CloudEvent = {
  id: string;
  source: string;
  type: typeof SWAPPED | typeof SUBSCRIPTION_ENDED;
  specversion: '1.0';
  datacontenttype: 'application/json';
  time: string;
  data: Record<string, unknown>;
};

/** The subscription's resource path, the `source` of its events. */
export const subscriptionSource = (subscriptionId: string) =>
  `/sim-swap-subscriptions/v0.3/subscriptions/${subscriptionId}`;

/** A `swapped` event; the number is repeated only to a subscriber who gave it (a two-legged token). */
export const swappedEvent = (
  id: string,
  subscription: { id: string; phoneNumber: string; fromToken: boolean },
  at: Date,
): CloudEvent => ({
  id,
  source: subscriptionSource(subscription.id),
  type: SWAPPED,
  specversion: '1.0',
  datacontenttype: 'application/json',
  time: at.toISOString(),
  data: {
    subscriptionId: subscription.id,
    ...(subscription.fromToken ? {} : { phoneNumber: subscription.phoneNumber }),
  },
});

const ENDINGS: Record<TerminationReason, string> = {
  MAX_EVENTS_REACHED: 'The maximum number of events of the subscription was reached.',
  NETWORK_TERMINATED: 'The operator stopped the subscription.',
  SUBSCRIPTION_EXPIRED: 'The subscription expire time was reached.',
  ACCESS_TOKEN_EXPIRED: 'The access token of the sink expired.',
  SUBSCRIPTION_DELETED: 'The subscription was deleted by the requester.',
};

export const endedEvent = (id: string, subscriptionId: string, reason: TerminationReason, at: Date): CloudEvent => ({
  id,
  source: subscriptionSource(subscriptionId),
  type: SUBSCRIPTION_ENDED,
  specversion: '1.0',
  datacontenttype: 'application/json',
  time: at.toISOString(),
  data: { subscriptionId, terminationReason: reason, terminationDescription: ENDINGS[reason] },
});
