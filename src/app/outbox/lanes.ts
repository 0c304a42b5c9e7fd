import type { OutboxMessages, OutboxTopic } from './outbox.ts';

/**
 * The outbox's lanes: each kind of delivery has its own queue, concurrency and time limit, so a
 * slow partner endpoint can never hold up a lost SIM's block or a second-factor code.
 */
export type LaneName = 'network' | 'messages' | 'payments' | 'partners';

export type Lane = {
  topics: readonly OutboxTopic[];
  /** Deliveries of the lane running at once in one instance. */
  concurrency: number;
  /** A delivery still running after this long is abandoned and retried later. */
  timeoutMs: number;
  /**
   * A failing message is retried at least this long after it was queued before it is given up:
   * a partner that is down for a day still gets its events; a network command or a code is given
   * up after its attempts, for staff to see at once.
   */
  retryForMs: number;
  /**
   * Messages with the same key are delivered one after another, in the order they were queued
   * (the commands of one number, the events of one CAMARA subscription); others run side by side.
   */
  orderKey?: (payload: OutboxMessages[OutboxTopic]) => string | null;
};

const DAY = 24 * 60 * 60_000;
const field = (payload: object, name: string) => {
  const value = (payload as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
};

export const LANES: Record<LaneName, Lane> = {
  network: {
    topics: ['line.suspend', 'line.resume', 'line.swap_sim', 'esim.order', 'esim.release', 'esim.cancel'],
    concurrency: 16,
    timeoutMs: 30_000,
    retryForMs: 0,
    orderKey: (p) => field(p, 'msisdn') ?? field(p, 'iccid') ?? field(p, 'requestId'),
  },
  messages: {
    topics: ['sms.send', 'email.send', 'password.reset'],
    concurrency: 16,
    timeoutMs: 20_000,
    retryForMs: 0,
  },
  payments: { topics: ['payment.refund'], concurrency: 4, timeoutMs: 30_000, retryForMs: DAY },
  partners: {
    topics: ['webhook.deliver', 'camara.notify'],
    concurrency: 16,
    timeoutMs: 12_000,
    retryForMs: DAY,
    orderKey: (p) => field(p, 'subscriptionId'),
  },
};

export const LANE_NAMES = Object.keys(LANES) as LaneName[];

export function laneOf(topic: string): LaneName | null {
  return LANE_NAMES.find((name) => LANES[name].topics.some((t) => t === topic)) ?? null;
}

/**
 * Whether a failed message is given up: never before `minAttempts` tries, and not before the
 * lane's retry period has passed since it was queued.
 */
export function givesUp(lane: Lane, attempts: number, queuedAt: Date, now: Date, minAttempts: number): boolean {
  return attempts >= minAttempts && now.getTime() - queuedAt.getTime() >= lane.retryForMs;
}
