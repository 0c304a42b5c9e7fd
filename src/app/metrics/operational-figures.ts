import type { Database } from '../../db/client.ts';
import { LANE_NAMES, LANES } from '../outbox/lanes.ts';

export type OutboxFigure = { lane: string; pending: number; oldestSeconds: number; dead: number };

/** What is waiting in the outbox, per lane: how many messages, how long the oldest has waited, and how many gave up. */
export async function outboxFigures(database: Database, now = new Date()): Promise<OutboxFigure[]> {
  const rows = await database.raw.query<{ topic: string; status: string; n: string; oldest: Date | null }>(
    `select topic, status, count(*) as n, min(created_at) as oldest from outbox
      where status in ('pending', 'dead') group by topic, status`,
  );
  return LANE_NAMES.map((lane) => {
    const mine = rows.filter((r) => (LANES[lane].topics as readonly string[]).includes(r.topic));
    const pending = mine.filter((r) => r.status === 'pending');
    const oldest = Math.min(...pending.map((r) => (r.oldest ? new Date(r.oldest).getTime() : now.getTime())));
    return {
      lane,
      pending: pending.reduce((sum, r) => sum + Number(r.n), 0),
      oldestSeconds: pending.length > 0 ? Math.max(0, (now.getTime() - oldest) / 1000) : 0,
      dead: mine.filter((r) => r.status === 'dead').reduce((sum, r) => sum + Number(r.n), 0),
    };
  });
}

/** Replacement requests by operator and status. */
export async function requestFigures(database: Database) {
  const rows = await database.raw.query<{ slug: string; status: string; n: string }>(
    `select o.slug, r.status, count(*) as n from replacement_requests r join operators o on o.id = r.operator_id
      group by o.slug, r.status`,
  );
  return rows.map((r) => ({ operator: r.slug, status: r.status, count: Number(r.n) }));
}

/** Failed sign-ins in the last five minutes, subscribers' and staff's. */
export async function signInFailures(database: Database) {
  const rows = await database.raw.query<{ subject: string; n: string }>(
    `select subject, count(*) as n from login_attempts
      where not succeeded and created_at > now() - interval '5 minutes' group by subject`,
  );
  return rows.map((r) => ({ subject: r.subject, count: Number(r.n) }));
}
