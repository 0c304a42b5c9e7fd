import type { FastifyReply, FastifyRequest } from 'fastify';
import { isBadInputValue } from '../../db/conflicts.ts';
import { isUnavailable, RETRY_AFTER_SECONDS } from '../shared/retry-after.ts';

/** CAMARA's error codes with the status and message its specifications give them. */
const ERRORS = {
  INVALID_ARGUMENT: [400, 'Client specified an invalid argument, request body or query param.'],
  OUT_OF_RANGE: [400, 'Client specified an invalid range.'],
  INVALID_PROTOCOL: [400, 'Only HTTP is supported'],
  INVALID_CREDENTIAL: [400, 'Only Access token is supported'],
  INVALID_TOKEN: [400, 'Only bearer token is supported'],
  INVALID_SINK: [400, 'sink not valid for the specified protocol'],
  UNAUTHENTICATED: [
    401,
    'Request not authenticated due to missing, invalid, or expired credentials. A new authentication is required.',
  ],
  PERMISSION_DENIED: [403, 'Client does not have sufficient permissions to perform this action.'],
  IDENTIFIER_NOT_FOUND: [404, 'Device identifier not found.'],
  NOT_FOUND: [404, 'The specified resource is not found.'],
  MISSING_IDENTIFIER: [422, 'The device cannot be identified.'],
  UNNECESSARY_IDENTIFIER: [422, 'The device is already identified by the access token.'],
  SERVICE_NOT_APPLICABLE: [422, 'The service is not available for the provided identifier.'],
  TOO_MANY_REQUESTS: [429, 'Rejected due to request rate limit overpassed.'],
} as const;

export type CamaraCode = keyof typeof ERRORS;

/** `x-correlator` as CAMARA allows it; an invalid one is refused and never echoed. */
const CORRELATOR = /^[a-zA-Z0-9-_:;./<>{}]{0,256}$/;

export function correlatorOf(request: FastifyRequest): { ok: true; value: string | null } | { ok: false } {
  const header = request.headers['x-correlator'];
  if (header === undefined) return { ok: true, value: null };
  return typeof header === 'string' && CORRELATOR.test(header) ? { ok: true, value: header } : { ok: false };
}

/** Sends a CAMARA answer (JSON, or nothing), echoing a valid `x-correlator`. */
export function camaraAnswer(request: FastifyRequest, reply: FastifyReply, status: number, payload?: unknown) {
  const correlator = correlatorOf(request);
  if (correlator.ok && correlator.value !== null) reply.header('x-correlator', correlator.value);
  reply.status(status);
  return payload === undefined ? reply.send() : reply.type('application/json').send(payload);
}

/** Sends `{ status, code, message }` as CAMARA does, echoing a valid `x-correlator`. */
export function camaraError(request: FastifyRequest, reply: FastifyReply, code: CamaraCode, message?: string) {
  const [status, standard] = ERRORS[code];
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return camaraAnswer(request, reply, status, { status, code, message: message ?? standard });
}

/** Errors before the handler (a body that is not JSON, the wrong media type) in CAMARA's shape. */
export function camaraErrorHandler(
  error: Error & { statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = isBadInputValue(error) ? 400 : (error.statusCode ?? 500);
  if (isUnavailable(error)) {
    request.log.error({ err: error }, 'CAMARA request failed: the database is unavailable');
    reply.header('retry-after', RETRY_AFTER_SECONDS);
    return reply.status(503).send({ status: 503, code: 'UNAVAILABLE', message: 'Service Unavailable.' });
  }
  if (status >= 500) {
    request.log.error({ err: error }, 'CAMARA request failed');
    return reply.status(500).send({ status: 500, code: 'INTERNAL', message: 'Unknown server error.' });
  }
  return camaraError(request, reply, 'INVALID_ARGUMENT');
}
