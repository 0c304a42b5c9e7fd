import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { claimKey, holdClaim, keepAnswer, releaseKey } from '../../../app/api/idempotency-keys.ts';
import type { Db } from '../../../db/client.ts';
import { tokenOf } from './api-token.ts';
import { type FieldError, sendProblem } from './problems.ts';

/** What a creating call did: its answer, or the problem to send (and then the key is let go). */
export type Outcome =
  /** `secret`: the answer holds a secret shown once, so it is not kept; a repeat runs the call again. */
  | { ok: true; status: number; body: unknown; location?: string; secret?: true }
  | { ok: false; status: number; code: string; detail: string; errors?: FieldError[] };

export const created = (body: unknown, location?: string): Outcome => ({
  ok: true,
  status: 201,
  body,
  ...(location ? { location } : {}),
});
export const problem = (status: number, code: string, detail: string, errors?: FieldError[]): Outcome => ({
  ok: false,
  status,
  code,
  detail,
  ...(errors ? { errors } : {}),
});

/** A UUID of a client's idempotency key, so what a call creates has the same id however often it runs. */
export const uuidFrom = (key: string) => {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** The `Idempotency-Key` header, required on every creating POST. */
export const IdempotencyKey = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .describe('Unique per operation (a UUID is good); a repeat with the same body gets the first answer'),
});

/**
 * Runs a creating POST at most once per `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header):
 * a repeat with the same body gets the first answer again (`Idempotent-Replayed: true`), a repeat
 * with another body 422, a repeat while the first is running 409. Only successes are kept, and
 * of an answer holding a secret only that it succeeded: its repeat runs the call again, which
 * finds what the first run made by the key (a webhook subscription gets a new secret).
 */
export async function idempotent(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (key: string, repeat: { abandoned: boolean }) => Promise<Outcome>,
) {
  const key = request.headers['idempotency-key'] as string;
  const token = tokenOf(request);
  const claim = await claimKey(db, {
    operatorId: token.operatorId,
    clientId: token.clientId,
    key,
    method: request.method,
    path: request.url,
    body: request.body,
  });
  if (claim.kind === 'mismatch')
    return sendProblem(request, reply, 422, 'idempotency-key-reused', 'This key was used for another request.');
  if (claim.kind === 'in_progress') {
    reply.header('retry-after', '1');
    return sendProblem(request, reply, 409, 'idempotency-key-in-use', 'The first call with this key is still running.');
  }
  if (claim.kind === 'replay' && claim.answer.response !== null) {
    if (claim.answer.location) reply.header('location', claim.answer.location);
    return reply.status(claim.answer.status).header('idempotent-replayed', 'true').send(claim.answer.response);
  }
  let outcome: Outcome;
  const release = holdClaim(db, token.clientId, key);
  try {
    outcome = await run(`${token.clientId}:${key}`, { abandoned: claim.kind === 'new' && claim.abandoned === true });
  } catch (error) {
    await releaseKey(db, token.clientId, key);
    throw error;
  } finally {
    release();
  }
  if (!outcome.ok) {
    await releaseKey(db, token.clientId, key);
    return sendOutcome(request, reply, outcome);
  }
  await keepAnswer(db, token.clientId, key, {
    status: outcome.status,
    response: outcome.secret ? null : outcome.body,
    location: outcome.location ?? null,
  });
  return sendOutcome(request, reply, outcome);
}

export function sendOutcome(request: FastifyRequest, reply: FastifyReply, outcome: Outcome) {
  if (!outcome.ok) return sendProblem(request, reply, outcome.status, outcome.code, outcome.detail, outcome.errors);
  if (outcome.location) reply.header('location', outcome.location);
  return reply.status(outcome.status).send(outcome.body);
}
