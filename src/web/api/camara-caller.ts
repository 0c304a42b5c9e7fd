import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken } from '../../app/api/access-tokens.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { CamaraCode } from './camara-errors.ts';
import { correlatorOf } from './camara-errors.ts';
import type { ApiCaller, CallRefusal } from './client-allowance.ts';

const REFUSALS: Record<CallRefusal, CamaraCode> = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  rate_limited: 'TOO_MANY_REQUESTS',
};

/**
 * What every CAMARA call checks first, in the order CAMARA's test plans expect: the
 * `x-correlator`, then the caller (token, scope, allowance). The token, or the error to answer.
 */
export function camaraCaller(caller: ApiCaller) {
  return async (request: FastifyRequest, reply: FastifyReply, scopes: string[]): Promise<AccessToken | CamaraCode> => {
    if (!correlatorOf(request).ok) return 'INVALID_ARGUMENT';
    const token = await caller(request, reply, scopes);
    return typeof token === 'string' ? REFUSALS[token] : token;
  };
}

/**
 * The subject of a call: the number of a three-legged token, else the one given; never both
 * (UNNECESSARY_IDENTIFIER), and not neither (MISSING_IDENTIFIER).
 */
export function subjectOf(token: AccessToken, given: string | undefined): Result<string, CamaraCode> {
  if (token.phoneNumber && given !== undefined) return err('UNNECESSARY_IDENTIFIER');
  const phoneNumber = token.phoneNumber ?? given;
  return phoneNumber ? ok(phoneNumber) : err('MISSING_IDENTIFIER');
}
