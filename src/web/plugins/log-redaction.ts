import type { LoggerOptions } from 'pino';
import { stdSerializers } from 'pino';

/** A failed query's error repeats its parameters (names, addresses, numbers) in its message. */
const PARAMETERS = /\nparams: [^\n]*/g;

/** Removes from a serialised error (and its causes) what a database error says about the data. */
function scrub(logged: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['message', 'stack'])
    if (typeof logged[key] === 'string')
      logged[key] = (logged[key] as string).replace(PARAMETERS, '\nparams: [redacted]');
  for (const key of ['params', 'detail', 'where']) if (key in logged) logged[key] = '[redacted]';
  if (logged.cause && typeof logged.cause === 'object') logged.cause = scrub({ ...(logged.cause as object) });
  return logged;
}

const redactedError = (error: Error) => scrub({ ...stdSerializers.err(error) });

/** Paths whose last segment is a secret: a reset link, a visit's cancel-or-move link, "This wasn't me". */
const SECRET_SEGMENT = /^(\/(?:password\/reset|visits|wasnt-me)\/)[^/?#]+/;

/** The request line with the secret of a link and every query value hidden; links are credentials. */
export function redactedUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const safePath = path.replace(SECRET_SEGMENT, '$1[redacted]');
  if (query === undefined) return safePath;
  const names = query.split('&').map((pair) => `${pair.split('=', 1)[0]}=[redacted]`);
  return `${safePath}?${names.join('&')}`;
}

type LoggedRequest = {
  method: string;
  url: string;
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remotePort?: number };
};

const redactedRequest = (request: LoggedRequest) => ({
  method: request.method,
  url: redactedUrl(request.url),
  host: request.headers?.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/**
 * The web process's log: no cookies, tokens, secret links or form bodies, no query values, and no query parameters or
 * constraint details of failed database statements, which would hold subscribers' data.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'body', 'req.body'],
      censor: '[redacted]',
    },
    serializers: { err: redactedError, req: redactedRequest },
  };
}
