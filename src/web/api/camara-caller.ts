import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken, AccessTokens } from '../../app/api/access-tokens.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { CamaraCode } from './camara-errors.ts';
import { correlatorOf } from './camara-errors.ts';
import { bearerOf, clientAllowance } from './client-allowance.ts';

/**
 * What every CAMARA call checks first, in the order CAMARA's test plans expect: the
 * `x-correlator`, the access token (this operator's, unexpired), one of the scopes, the
 * client's allowance. The token, or the error to answer.
 */
export function camaraCaller(tokens: AccessTokens, now: () => Date) {
  const allowance = clientAllowance(now);
  return async (request: FastifyRequest, reply: FastifyReply, scopes: string[]): Promise<AccessToken | CamaraCode> => {
    if (!correlatorOf(request).ok) return 'INVALID_ARGUMENT';
    const bearer = bearerOf(request.headers.authorization);
    const token = bearer ? await tokens.verify(bearer, now()) : null;
    if (!token || token.operatorId !== request.operator.id) return 'UNAUTHENTICATED';
    if (!scopes.some((s) => token.scopes.includes(s))) return 'PERMISSION_DENIED';
    if (!allowance(reply, token)) return 'TOO_MANY_REQUESTS';
    return token;
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
