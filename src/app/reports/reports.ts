import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/**
 * The operator's reports over a period of local days. A request, a payment or a parcel belongs
 * to the day it happened where it happened: at a center in the center's time zone, otherwise in
 * the operator's; so a counter visit in Vladivostok at 01:30 on the 1st counts on the 1st even
 * though it is still the 30th in Moscow.
 */
export type Period = { from: string; to: string };

export type Count = { key: string; n: number };
/** Hours, to one decimal; the 90th percentile interpolated between the two nearest values (percentile_cont). */
export type Durations = { count: number; medianHours: number | null; p90Hours: number | null };
export type Report = {
  byStatus: Count[];
  byChannel: Count[];
  byReason: Count[];
  activation: Durations & { targetHours: number; withinTarget: number };
  review: Durations;
  rejections: Count[];
  /** Parcels whose delivery window ends in the period. */
  deliveries: { due: number; onTime: number; deliveredLate: number; overdue: number };
  money: { method: string; collectedMinor: number; refundedMinor: number }[];
  currency: string;
};

const rowsOf = async <T>(db: Db, query: SQL): Promise<T[]> =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;

/** The local day of a moment, in the center's time zone when there is a center, else the operator's. */
const localDay = (at: SQL, centerZone: SQL) => sql`(${at} at time zone coalesce(${centerZone}, o.time_zone))::date`;
const within = (day: SQL, p: Period) => sql`${day} between ${p.from}::date and ${p.to}::date`;

const hours = (seconds: unknown) => (seconds === null ? null : Math.round((Number(seconds) / 3600) * 10) / 10);

export async function operatorReport(db: Db, operatorId: string, period: Period, today: string): Promise<Report> {
  const submittedDay = localDay(sql`r.submitted_at`, sql`c.time_zone`);
  const requests = await rowsOf<{ status: string; channel: string; reason: string | null; n: number }>(
    db,
    sql`select r.status, r.channel, r.reason, count(*)::int n
          from replacement_requests r join operators o on o.id = r.operator_id
          left join service_centers c on c.id = r.center_id
         where r.operator_id = ${operatorId} and r.submitted_at is not null and ${within(submittedDay, period)}
         group by 1, 2, 3`,
  );
  const tally = (key: 'status' | 'channel' | 'reason') => {
    const totals = new Map<string, number>();
    for (const r of requests) totals.set(r[key] ?? 'none', (totals.get(r[key] ?? 'none') ?? 0) + r.n);
    return [...totals].map(([k, n]) => ({ key: k, n })).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  };

  const [activation] = await rowsOf<{ count: number; median: string | null; p90: string | null; on_target: number }>(
    db,
    sql`select count(*)::int count,
               percentile_cont(0.5) within group (order by extract(epoch from r.activated_at - r.submitted_at)) median,
               percentile_cont(0.9) within group (order by extract(epoch from r.activated_at - r.submitted_at)) p90,
               count(*) filter (where r.activated_at - r.submitted_at <= make_interval(hours => o.sla_hours))::int on_target
          from replacement_requests r join operators o on o.id = r.operator_id
          left join service_centers c on c.id = r.center_id
         where r.operator_id = ${operatorId} and r.status = 'activated' and r.submitted_at is not null
           and ${within(localDay(sql`r.activated_at`, sql`c.time_zone`), period)}`,
  );

  // Review time: from the request first waiting for review to the first decision on it.
  const [review] = await rowsOf<{ count: number; median: string | null; p90: string | null }>(
    db,
    sql`with decided as (
          select r.id, min(e.created_at) filter (where e.to_status = 'in_review') waiting,
                 min(e.created_at) filter (where e.type in ('approve', 'reject', 'request_info')) decided_at,
                 min(c.time_zone) zone, min(o.time_zone) operator_zone
            from replacement_requests r join operators o on o.id = r.operator_id
            join request_events e on e.request_id = r.id
            left join service_centers c on c.id = r.center_id
           where r.operator_id = ${operatorId} and r.channel = 'online'
           group by r.id)
        select count(*)::int count,
               percentile_cont(0.5) within group (order by extract(epoch from decided_at - waiting)) median,
               percentile_cont(0.9) within group (order by extract(epoch from decided_at - waiting)) p90
          from decided
         where waiting is not null and decided_at is not null
           and (decided_at at time zone coalesce(zone, operator_zone))::date between ${period.from}::date and ${period.to}::date`,
  );

  const rejections = await rowsOf<{ key: string; n: number }>(
    db,
    sql`select coalesce(r.rejection_reason, '') key, count(*)::int n
          from replacement_requests r join operators o on o.id = r.operator_id
          join request_events e on e.request_id = r.id and e.type = 'reject'
          left join service_centers c on c.id = r.center_id
         where r.operator_id = ${operatorId} and ${within(localDay(sql`e.created_at`, sql`c.time_zone`), period)}
         group by 1 order by 2 desc, 1`,
  );

  const [deliveries] = await rowsOf<{ due: number; late: number; overdue: number; on_time: number }>(
    db,
    sql`select count(*)::int due,
               count(*) filter (where s.delivered_at is not null
                 and (s.delivered_at at time zone o.time_zone)::date <= s.expected_to)::int on_time,
               count(*) filter (where s.delivered_at is not null
                 and (s.delivered_at at time zone o.time_zone)::date > s.expected_to)::int late,
               count(*) filter (where s.delivered_at is null and s.status not in ('delivered', 'returned')
                 and s.expected_to < ${today}::date)::int overdue
          from shipments s join operators o on o.id = s.operator_id
         where s.operator_id = ${operatorId} and s.expected_to between ${period.from}::date and ${period.to}::date`,
  );

  const money = await rowsOf<{ method: string; collected: string; refunded: string }>(
    db,
    sql`select p.method,
               coalesce(sum(p.amount_minor) filter (where p.succeeded_at is not null
                 and ${within(localDay(sql`p.succeeded_at`, sql`c.time_zone`), period)}), 0) collected,
               coalesce(sum(p.amount_minor) filter (where p.status = 'refunded' and p.refunded_at is not null
                 and ${within(localDay(sql`p.refunded_at`, sql`c.time_zone`), period)}), 0) refunded
          from payments p join operators o on o.id = p.operator_id
          left join service_centers c on c.id = p.center_id
         where p.operator_id = ${operatorId}
         group by 1 order by 1`,
  );
  const [operator] = await rowsOf<{ currency: string; sla_hours: number }>(
    db,
    sql`select currency, sla_hours from operators where id = ${operatorId}`,
  );

  const durations = (row: { count: number; median: string | null; p90: string | null } | undefined) => ({
    count: row?.count ?? 0,
    medianHours: hours(row?.median ?? null),
    p90Hours: hours(row?.p90 ?? null),
  });
  return {
    byStatus: tally('status'),
    byChannel: tally('channel'),
    byReason: tally('reason'),
    activation: {
      ...durations(activation),
      targetHours: operator?.sla_hours ?? 0,
      withinTarget: activation?.on_target ?? 0,
    },
    review: durations(review),
    rejections,
    deliveries: {
      due: deliveries?.due ?? 0,
      onTime: deliveries?.on_time ?? 0,
      deliveredLate: deliveries?.late ?? 0,
      overdue: deliveries?.overdue ?? 0,
    },
    money: money
      .map((m) => ({ method: m.method, collectedMinor: Number(m.collected), refundedMinor: Number(m.refunded) }))
      .filter((m) => m.collectedMinor > 0 || m.refundedMinor > 0),
    currency: operator?.currency ?? 'RUB',
  };
}
