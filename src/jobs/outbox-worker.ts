import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { OutboxMessages, OutboxTopic } from '../app/outbox/outbox.ts';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema/system.ts';
import { retryDelayMs } from '../domain/backoff.ts';

export type OutboxHandlers = {
  [T in OutboxTopic]: (
    payload: OutboxMessages[T],
    meta: { idempotencyKey: string; operatorId: string | null },
  ) => Promise<void>;
};

export type OutboxWorkerOptions = {
  db: Db;
  /** A topic without a handler fails permanently; `simdesk serve` checks it covers every topic. */
  handlers: Partial<OutboxHandlers>;
  batchSize?: number;
  /**
   * A claimed message is retried after this long if its worker dies before finishing it; a live
   * worker renews the lease while the delivery runs, so a slow partner is not delivered twice.
   */
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  /** Called for each failed delivery, and with no message when the database itself fails. */
  onError?: (error: unknown, message?: { id: number; topic: string; attempts: number }) => void;
};

const isPermanent = (error: unknown) => (error as { retryable?: boolean } | null)?.retryable === false;

/**
 * Delivers outbox messages: claims due ones with SKIP LOCKED (several workers never take the
 * same message), calls the topic's handler with the message's idempotency key, then marks it
 * sent, schedules a retry with backoff, or gives up after `maxAttempts` (status dead).
 * Delivery is at least once; receivers deduplicate by the key.
 */
export function outboxWorker(options: OutboxWorkerOptions) {
  const { db, handlers, batchSize = 20, leaseMs = 15_000, maxAttempts = 8, pollMs = 1_000 } = options;
  /**
   * Keeps the claims of a batch alive while it is delivered, those not finished yet. A renewal
   * only ever moves a claim later, so one that lands after a failure's backoff was written cannot
   * bring the retry forward.
   */
  const renewing = (ids: number[]) => {
    const open = new Set(ids);
    const renew = () => {
      if (open.size === 0) return;
      const until = new Date(Date.now() + leaseMs);
      void db
        .update(outbox)
        .set({ nextAttemptAt: sql`greatest(${outbox.nextAttemptAt}, ${until.toISOString()}::timestamptz)` })
        .where(and(inArray(outbox.id, [...open]), eq(outbox.status, 'pending')))
        .catch((e) => options.onError?.(e));
    };
    const timer = setInterval(renew, Math.max(50, Math.floor(leaseMs / 3)));
    return { done: (id: number) => open.delete(id), stop: () => clearInterval(timer) };
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let again = false;

  async function deliverDue(now = new Date()): Promise<number> {
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
      .orderBy(asc(outbox.id))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const claimed = await db
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + leaseMs) })
      .where(inArray(outbox.id, due))
      .returning();
    const claims = renewing(claimed.map((m) => m.id));
    try {
      for (const message of claimed) {
        await deliver(message);
        claims.done(message.id);
      }
    } finally {
      claims.stop();
    }
    return claimed.length;
  }

  async function deliver(message: typeof outbox.$inferSelect) {
    const handler = handlers[message.topic as OutboxTopic] as (p: unknown, m: object) => Promise<void>;
    try {
      if (!handler) throw Object.assign(new Error(`no handler for topic ${message.topic}`), { retryable: false });
      await handler(message.payload, { idempotencyKey: message.idempotencyKey, operatorId: message.operatorId });
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: new Date(), lastError: null })
        .where(eq(outbox.id, message.id));
    } catch (error) {
      options.onError?.(error, message);
      const dead = isPermanent(error) || message.attempts >= maxAttempts;
      await db
        .update(outbox)
        .set({
          status: dead ? 'dead' : 'pending',
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(Date.now() + retryDelayMs(message.attempts)),
        })
        .where(eq(outbox.id, message.id));
    }
  }

  /** Runs deliveries until nothing is due; concurrent calls share one run. */
  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        let n: number;
        do {
          n = await deliverDue();
          total += n;
        } while (n > 0);
      } while (again);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    deliverDue,
    drain,
    /** Delivers soon, without waiting for the next poll: call after committing new messages. */
    kick: () => void drain().catch((e) => options.onError?.(e)),
    start() {
      const tick = () => {
        drain()
          .catch((e) => options.onError?.(e))
          .finally(() => {
            if (timer) timer = setTimeout(tick, pollMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

export type OutboxWorker = ReturnType<typeof outboxWorker>;
