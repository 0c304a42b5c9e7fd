import { and, desc, eq, gt, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema/system.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { LINE_STATE_TOPICS, latestLineCommand } from '../lines/line-network-state.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';

/** The outbox topics the network's provisioning system carries out. */
export const NETWORK_TOPICS = ['line.suspend', 'line.resume', 'line.swap_sim'] as const;

export type NetworkJob = {
  id: number;
  topic: (typeof NETWORK_TOPICS)[number];
  msisdn: string;
  status: 'pending' | 'dead';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
};

/**
 * Network changes that did not go through at once: those given up after the last retry (dead)
 * first, then those still being retried, newest first.
 */
export async function networkJobs(db: Db, operatorId: string): Promise<NetworkJob[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.operatorId, operatorId),
        inArray(outbox.topic, [...NETWORK_TOPICS]),
        or(eq(outbox.status, 'dead'), and(eq(outbox.status, 'pending'), gt(outbox.attempts, 0))),
      ),
    )
    .orderBy(desc(outbox.status), desc(outbox.id))
    .limit(200);
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic as NetworkJob['topic'],
    msisdn: String(r.payload.msisdn ?? ''),
    status: r.status as NetworkJob['status'],
    attempts: r.attempts,
    lastError: r.lastError,
    nextAttemptAt: r.nextAttemptAt,
    createdAt: r.createdAt,
  }));
}

/**
 * Sends a dead network change again: back in the queue at once with a fresh count of retries,
 * under the same idempotency key, so the network applies it once whatever happened before. A
 * block or unblock that a later one replaced is not sent again: the later one is the line's state.
 */
export function retryNetworkJob(
  db: Db,
  staff: StaffActor,
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
          inArray(outbox.topic, [...NETWORK_TOPICS]),
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
        action: 'network.retry',
        targetKind: 'outbox',
        targetId: String(jobId),
        ip: staff.ip,
        data: { topic: job.topic, msisdn: job.payload.msisdn, lastError: job.lastError },
      },
      now,
    );
    return ok(true);
  });
}
