/**
 * PostgreSQL's answers that mean "run the transaction again": a deadlock it broke by aborting
 * this side, or a serialization failure. Nothing of the aborted attempt was written.
 */
const RETRYABLE = new Set(['40P01', '40001']);

/** Connection-level failures: the server went away, restarts, or refuses connections for now. */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection (?:is )?(?:closed|ended)|ECONNREFUSED|ECONNRESET|Client has encountered a connection error|timeout exceeded when trying to connect/i;

const causes = function* (error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    yield e as { code?: unknown; message?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
};

export const isRetryableConflict = (error: unknown) => [...causes(error)].some((e) => RETRYABLE.has(String(e.code)));

/** Whether an error means the database cannot be reached right now (answer 503, not 500). */
export const isDatabaseUnavailable = (error: unknown) =>
  [...causes(error)].some(
    (e) =>
      UNAVAILABLE_CODES.has(String(e.code)) ||
      (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) ||
      e.code === 'ECONNREFUSED' ||
      e.code === 'ECONNRESET',
  );

/**
 * PostgreSQL refusing a value the client sent: a NUL byte or broken UTF-8 in a text, a number
 * out of range, a malformed date. Validation should catch these first; where a value slips
 * through, it is the request that is bad (400), not the service (500).
 */
const BAD_VALUE_CODES = new Set(['22021', '22P05', '22003', '22P02', '22007', '22008', '22001', '54000']);

export const isBadInputValue = (error: unknown) => [...causes(error)].some((e) => BAD_VALUE_CODES.has(String(e.code)));

const ATTEMPTS = 6;

/**
 * Runs a transaction again when PostgreSQL aborted it on a deadlock or serialization failure,
 * after a short random pause that grows with each attempt so the two sides do not meet again.
 * The work must have no effect outside the transaction (use cases write effects to the outbox).
 */
export async function retryingConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}
