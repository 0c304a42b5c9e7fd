import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { givesUp, LANE_NAMES, LANES, type Lane, type LaneName } from '../app/outbox/lanes.ts';
import type { OutboxMessages, OutboxTopic } from '../app/outbox/outbox.ts';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema/system.ts';
import { retryDelayMs } from '../domain/backoff.ts';

export type DeliveryMeta = {
  idempotencyKey: string;
  operatorId: string | null;
  /** Aborted when the lane's time limit is reached: the delivery is abandoned and retried. */
  signal: AbortSignal;
};

export type OutboxHandlers = {
  [T in OutboxTopic]: (payload: OutboxMessages[T], meta: DeliveryMeta) => Promise<void>;
};

export type OutboxWorkerOptions = {
  db: Db;
  /** A topic without a handler fails permanently; `simdesk serve` checks it covers every topic. */
  handlers: Partial<OutboxHandlers>;
  /** At most this many messages of a lane are claimed at once. */
  batchSize?: number;
  /**
   * A claimed message is retried after this long if its worker dies before finishing it; a live
   * worker renews the lease while the delivery runs, so a slow partner is not delivered twice.
   */
  leaseMs?: number;
  /** A failing message is tried at least this often before it is given up (see the lane's retry period). */
  maxAttempts?: number;
  pollMs?: number;
  /** Changes to the lanes' limits (tests and benchmarks). */
  lanes?: Partial<Record<LaneName, Partial<Lane>>>;
  /** Called for each failed delivery, and with no message when the database itself fails. */
  onError?: (error: unknown, message?: { id: number; topic: string; attempts: number }) => void;
};

type Message = typeof outbox.$inferSelect;

const isPermanent = (error: unknown) => (error as { retryable?: boolean } | null)?.retryable === false;

class DeliveryTimedOut extends Error {
  readonly retryable = true;
  constructor(ms: number) {
    super(`the delivery took longer than ${ms} ms; trying again later`);
  }
}

/**
 * Delivers outbox messages, lane by lane (see lanes.ts): each lane claims due messages of its
 * topics with SKIP LOCKED (several workers never take the same message) as it has room, runs
 * up to its concurrency at once (one after another for messages with the same order key), calls
 * the topic's handler with the message's idempotency key, then marks it sent, schedules a retry
 * with backoff, or gives it up (status dead). Delivery is at least once; receivers deduplicate by
 * the key.
 */
export function outboxWorker(options: OutboxWorkerOptions) {
  const { db, handlers, batchSize = 20, leaseMs = 15_000, maxAttempts = 8, pollMs = 1_000 } = options;
  const lanes = LANE_NAMES.map((name) => laneRunner({ ...LANES[name], ...options.lanes?.[name] }));
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  function laneRunner(lane: Lane) {
    const open = new Set<number>();
    const inFlight = new Set<Promise<void>>();
    const tails = new Map<string, Promise<void>>();
    /**
     * Keeps the lane's open claims alive. A renewal only ever moves a claim later, so one that
     * lands after a failure's backoff was written cannot bring the retry forward.
     */
    let renewal: NodeJS.Timeout | undefined;
    const renew = () => {
      if (open.size === 0) return;
      const until = new Date(Date.now() + leaseMs);
      void db
        .update(outbox)
        .set({ nextAttemptAt: sql`greatest(${outbox.nextAttemptAt}, ${until.toISOString()}::timestamptz)` })
        .where(and(inArray(outbox.id, [...open]), eq(outbox.status, 'pending')))
        .catch((e) => options.onError?.(e));
    };

    async function claim(limit: number, now: Date): Promise<Message[]> {
      // A message is stamped by the database's clock in microseconds, the worker's in milliseconds:
      // the later of the two decides, so a message committed a moment ago is not skipped.
      const dueBy = sql`greatest(clock_timestamp(), ${now.toISOString()}::timestamptz)`;
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, dueBy), inArray(outbox.topic, [...lane.topics])),
        )
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      const claimed = await db
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(inArray(outbox.id, due))
        .returning();
      return claimed.sort((a, b) => a.id - b.id);
    }

    function start(message: Message): Promise<void> {
      open.add(message.id);
      renewal ??= setInterval(renew, Math.max(50, Math.floor(leaseMs / 3)));
      const key = lane.orderKey?.(message.payload as never) ?? null;
      const after = (key !== null && tails.get(key)) || Promise.resolve();
      const run = after
        .then(() => deliver(lane, message))
        .finally(() => {
          open.delete(message.id);
          inFlight.delete(run);
          if (key !== null && tails.get(key) === run) tails.delete(key);
          if (open.size === 0) {
            clearInterval(renewal);
            renewal = undefined;
          }
        });
      if (key !== null) tails.set(key, run);
      inFlight.add(run);
      return run;
    }

    /** Claims what the lane has room for and starts it; resolves when those are claimed. */
    async function fill(now: Date): Promise<Promise<void>[]> {
      const room = Math.min(batchSize, lane.concurrency - inFlight.size);
      if (room <= 0 || stopping) return [];
      return (await claim(room, now)).map(start);
    }

    let draining: Promise<number> | null = null;
    let woken = false;
    let wake = () => {};
    /** Claims as room frees up, or as new messages are announced, until nothing is due or in flight. */
    async function drainLoop(): Promise<number> {
      let total = 0;
      for (;;) {
        woken = false;
        const started = (await fill(new Date())).length;
        total += started;
        if (started === 0 && inFlight.size === 0 && !woken) return total;
        if (woken) continue;
        const announced = new Promise<void>((resolve) => {
          wake = resolve;
        });
        if (started === 0 || inFlight.size >= lane.concurrency) await Promise.race([...inFlight, announced]);
      }
    }

    return {
      /** One claim, waiting for what it claimed to be delivered. */
      async once(now: Date): Promise<number> {
        const started = await fill(now);
        await Promise.all(started);
        return started.length;
      },
      /** Runs the lane until it is idle; a call while it runs wakes it to look for new messages. */
      drain(): Promise<number> {
        if (draining) {
          woken = true;
          wake();
          return draining;
        }
        draining = drainLoop().finally(() => {
          draining = null;
        });
        return draining;
      },
      /** Resolves when what the lane is delivering now is done. */
      settled: () => Promise.all([draining, ...inFlight]),
    };
  }

  async function deliver(lane: Lane, message: Message) {
    const handler = handlers[message.topic as OutboxTopic] as (p: unknown, m: DeliveryMeta) => Promise<void>;
    const limit = new AbortController();
    let limitTimer: NodeJS.Timeout | undefined;
    try {
      if (!handler) throw Object.assign(new Error(`no handler for topic ${message.topic}`), { retryable: false });
      const timedOut = new Promise<never>((_, reject) => {
        limitTimer = setTimeout(() => {
          reject(new DeliveryTimedOut(lane.timeoutMs));
          limit.abort();
        }, lane.timeoutMs);
      });
      await Promise.race([
        handler(message.payload, {
          idempotencyKey: message.idempotencyKey,
          operatorId: message.operatorId,
          signal: limit.signal,
        }),
        timedOut,
      ]);
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: new Date(), lastError: null })
        .where(eq(outbox.id, message.id));
    } catch (error) {
      options.onError?.(error, message);
      const now = new Date();
      const dead = isPermanent(error) || givesUp(lane, message.attempts, message.createdAt, now, maxAttempts);
      await db
        .update(outbox)
        .set({
          status: dead ? 'dead' : 'pending',
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(message.attempts)),
        })
        .where(eq(outbox.id, message.id));
    } finally {
      clearTimeout(limitTimer);
    }
  }

  /** One claim in every lane, delivered: what a poll does, for tests that move the clock. */
  async function deliverDue(now = new Date()): Promise<number> {
    const counts = await Promise.all(lanes.map((lane) => lane.once(now)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Runs deliveries in every lane until nothing is due; each lane goes at its own pace. */
  async function drain(): Promise<number> {
    const counts = await Promise.all(lanes.map((lane) => lane.drain()));
    return counts.reduce((a, b) => a + b, 0);
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
      stopping = true;
      await Promise.all(lanes.map((lane) => lane.settled())).catch(() => undefined);
    },
  };
}

export type OutboxWorker = ReturnType<typeof outboxWorker>;
