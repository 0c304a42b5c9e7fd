import { claimTurn } from '../app/outbox/leases.ts';
import type { Db } from '../db/client.ts';

/**
 * A job every instance ticks every `everyMs` (and once at start), run by whichever instance
 * claims the period's turn: once per period across instances, never twice at once, and picked
 * up by another instance when the one running it is gone.
 */
export function timedJob(
  db: Db,
  name: string,
  everyMs: number,
  work: () => Promise<unknown>,
  onError: (error: unknown) => void,
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = claimTurn(db, `job:${name}`, Math.max(1_000, everyMs - 1_000))
      .then((mine) => (mine ? work() : undefined))
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
  };
  return {
    start() {
      tick();
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
