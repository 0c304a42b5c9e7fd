import { and, desc, eq, gt, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { camaraSubscriptions } from '../../db/schema/api.ts';
import { outbox } from '../../db/schema/system.ts';
import { webhookDeliveries, webhookSubscriptions } from '../../db/schema/webhooks.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { LINE_STATE_TOPICS, latestLineCommand } from '../lines/line-network-state.ts';
import { LANES } from '../outbox/lanes.ts';
import type { OutboxTopic } from '../outbox/outbox.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';

/** The lanes whose stuck deliveries administrators watch: the network's commands, partners' events and gateway refunds. */
export type WatchedLane = 'network' | 'partners' | 'payments';

export type StuckDelivery = {
  id: number;
  topic: OutboxTopic;
  /** What the delivery is about: the number or SIM for the network, the partner's address for partners. */
  subject: string;
  status: 'pending' | 'dead';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
};

/** The payload fields that name what a delivery is about, kept in the audit of a retry. */
const SUBJECT_FIELDS = ['msisdn', 'iccid', 'requestId', 'deliveryId', 'subscriptionId', 'paymentId'] as const;

const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** The partner address each webhook delivery and CAMARA event of `rows` goes to. */
async function partnerAddresses(db: Db, rows: { topic: string; payload: Record<string, unknown> }[]) {
  const ids = (topic: string, field: string) =>
    rows.filter((r) => r.topic === topic).map((r) => r.payload[field] as never);
  const deliveryIds = ids('webhook.deliver', 'deliveryId');
  const subscriptionIds = ids('camara.notify', 'subscriptionId');
  const hooks = deliveryIds.length
    ? await db
        .select({ id: webhookDeliveries.id, url: webhookSubscriptions.url })
        .from(webhookDeliveries)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
        .where(inArray(webhookDeliveries.id, deliveryIds))
    : [];
  const sinks = subscriptionIds.length
    ? await db
        .select({ id: camaraSubscriptions.id, url: camaraSubscriptions.sink })
        .from(camaraSubscriptions)
        .where(inArray(camaraSubscriptions.id, subscriptionIds))
    : [];
  return new Map<string, string>([
    ...hooks.map((h) => [`webhook.deliver:${h.id}`, origin(h.url)] as const),
    ...sinks.map((s) => [`camara.notify:${s.id}`, origin(s.url)] as const),
  ]);
}

/**
 * Deliveries of a lane that did not go through at once: those given up after the last retry
 * (dead) first, then those still being retried, newest first.
 */
export async function stuckDeliveries(db: Db, operatorId: string, lane: WatchedLane): Promise<StuckDelivery[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.operatorId, operatorId),
        inArray(outbox.topic, [...LANES[lane].topics]),
        or(eq(outbox.status, 'dead'), and(eq(outbox.status, 'pending'), gt(outbox.attempts, 0))),
      ),
    )
    .orderBy(desc(outbox.status), desc(outbox.id))
    .limit(200);
  const addresses = lane === 'partners' ? await partnerAddresses(db, rows) : new Map<string, string>();
  const subjectOf = (r: (typeof rows)[number]) => {
    const p = r.payload;
    if (lane !== 'partners') return String(p.msisdn ?? p.iccid ?? p.requestId ?? p.paymentId ?? '');
    return addresses.get(`${r.topic}:${p.deliveryId ?? p.subscriptionId}`) ?? '—';
  };
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic as OutboxTopic,
    subject: subjectOf(r),
    status: r.status as StuckDelivery['status'],
    attempts: r.attempts,
    lastError: r.lastError,
    nextAttemptAt: r.nextAttemptAt,
    createdAt: r.createdAt,
  }));
}

/**
 * Sends a dead delivery of the lane again: back in the queue at once with a fresh count of
 * retries, under the same idempotency key, so the receiver applies it once whatever happened
 * before. A block or unblock that a later one replaced is not sent again: the later one is the
 * line's state.
 */
export function retryStuckDelivery(
  db: Db,
  staff: StaffActor,
  lane: WatchedLane,
  jobId: number,
  now = new Date(),
): Promise<Result<true, 'job.not_found' | 'job.superseded'>> {
  return transact(db, async (tx): Promise<Result<true, 'job.not_found' | 'job.superseded'>> => {
    await requireRole(tx, staff, ['admin']);
    const [dead] = await tx
      .select({ topic: outbox.topic, payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.id, jobId), eq(outbox.operatorId, staff.operatorId), eq(outbox.status, 'dead')));
    if (dead && LINE_STATE_TOPICS.some((t) => t === dead.topic)) {
      const latest = await latestLineCommand(tx, staff.operatorId, String(dead.payload.msisdn));
      if (latest && latest.id !== jobId) return err('job.superseded');
    }
    const [job] = await tx
      .update(outbox)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: now })
      .where(
        and(
          eq(outbox.id, jobId),
          eq(outbox.operatorId, staff.operatorId),
          eq(outbox.status, 'dead'),
          inArray(outbox.topic, [...LANES[lane].topics]),
        ),
      )
      .returning({ topic: outbox.topic, payload: outbox.payload, lastError: outbox.lastError });
    if (!job) return err('job.not_found');
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: `${lane === 'network' ? 'network' : 'delivery'}.retry`,
        targetKind: 'outbox',
        targetId: String(jobId),
        ip: staff.ip,
        data: {
          topic: job.topic,
          ...Object.fromEntries(SUBJECT_FIELDS.filter((f) => f in job.payload).map((f) => [f, job.payload[f]])),
          lastError: job.lastError,
        },
      },
      now,
    );
    return ok(true);
  });
}
