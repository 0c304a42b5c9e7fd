import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isBadInputValue, isDatabaseUnavailable } from '../../../db/conflicts.ts';
import { NotSetUp } from '../../plugins/operator.ts';
import { RETRY_AFTER_SECONDS } from '../../shared/retry-after.ts';

/** One field's problem in a 422 or 400: where (a JSON pointer into the request) and what. */
const FieldProblem = z.object({ pointer: z.string(), detail: z.string(), code: z.string().optional() });

/** RFC 9457 problem details, the body of every error of the REST API. */
export const Problem = z
  .object({
    type: z.string().describe('A URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(FieldProblem).optional(),
  })
  .meta({ id: 'Problem' });

export type ProblemBody = z.infer<typeof Problem>;
export type FieldError = z.infer<typeof FieldProblem>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The problem type URI for a simdesk code, documented in docs/api.md. */
export const problemType = (code: string) => `https://simdesk.dev/problems/${code}`;

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail?: string,
  errors?: FieldError[],
) {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="simdesk-api"');
  const body: ProblemBody = {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    instance: request.url,
    ...(errors ? { errors } : {}),
  };
  return reply.status(status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

/** Whatever went wrong before or in a handler, as a problem: schema failures name each field. */
export function problemErrorHandler(
  error: Error & { statusCode?: number; validationContext?: string; code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = error.validationContext ?? 'body';
    const errors = error.validation.map((v) => ({
      pointer: `/${part}${v.instancePath === '/' ? '' : v.instancePath}`,
      detail: v.message ?? 'invalid',
      code: v.keyword,
    }));
    return sendProblem(request, reply, 400, 'invalid-request', 'The request does not match the schema.', errors);
  }
  const status = isBadInputValue(error) ? 400 : (error.statusCode ?? 500);
  if (error instanceof NotSetUp) {
    reply.header('retry-after', RETRY_AFTER_SECONDS);
    return sendProblem(request, reply, 503, 'not-set-up', error.message);
  }
  if (isDatabaseUnavailable(error)) {
    request.log.error({ err: error }, 'API request failed: the database is unavailable');
    reply.header('retry-after', RETRY_AFTER_SECONDS);
    return sendProblem(request, reply, 503, 'unavailable', 'The service cannot reach its database; try again shortly.');
  }
  if (status >= 500) {
    request.log.error({ err: error }, 'API request failed');
    return sendProblem(request, reply, 500, 'internal');
  }
  if (status === 415) return sendProblem(request, reply, 415, 'unsupported-media-type', 'Send application/json.');
  if (status === 413) return sendProblem(request, reply, 413, 'too-large');
  return sendProblem(request, reply, status, 'invalid-request', error.message);
}
