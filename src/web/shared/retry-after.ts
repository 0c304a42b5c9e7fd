/** A database outage (failover, restart) lasts seconds: the browser or client may try again soon. */
export const RETRY_AFTER_SECONDS = 5;
