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

/**
 * The web process's log: no cookies, tokens or form bodies, and no query parameters or
 * constraint details of failed database statements, which would hold subscribers' data.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'body', 'req.body'],
      censor: '[redacted]',
    },
    serializers: { err: redactedError },
  };
}
