import { isDatabaseUnavailable } from '../../db/conflicts.ts';
import { NotSetUp } from '../plugins/operator.ts';

/** A database outage (failover, restart) lasts seconds: the browser or client may try again soon. */
export const RETRY_AFTER_SECONDS = 5;

/** What answers 503 and is worth trying again: the database out of reach, or no operator set up yet. */
export const isUnavailable = (error: unknown) => isDatabaseUnavailable(error) || error instanceof NotSetUp;
