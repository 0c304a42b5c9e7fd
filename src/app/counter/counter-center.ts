import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { sessions } from '../../db/schema/security.ts';
import { staffUsers } from '../../db/schema/staff.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { hasRole, requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';

export type CounterCenterError = 'staff.no_center' | 'staff.forbidden';

/**
 * The center whose counter the staff member works: an agent's own, or, for an administrator
 * without one, the open center they chose for this session (`StaffActor.sessionId`).
 */
export async function counterCenter(tx: Db | Tx, staff: StaffActor): Promise<Result<string, CounterCenterError>> {
  const [row] = await tx
    .select({ own: staffUsers.centerId, chosen: sessions.counterCenterId, open: serviceCenters.active })
    .from(staffUsers)
    .leftJoin(sessions, and(eq(sessions.id, staff.sessionId ?? ''), eq(sessions.staffId, staffUsers.id)))
    .leftJoin(
      serviceCenters,
      and(eq(serviceCenters.operatorId, staffUsers.operatorId), eq(serviceCenters.id, sessions.counterCenterId)),
    )
    .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, staff.staffId)));
  if (!row) return err('staff.forbidden');
  if (row.own) return ok(row.own);
  if (row.chosen && row.open && (await hasRole(tx, staff, []))) return ok(row.chosen);
  return err('staff.no_center');
}

/**
 * An administrator without a center of their own picks the center whose counter they work in
 * this session (the README's "the counter of any center"); an agent keeps their own.
 */
export function chooseCounterCenter(
  db: Db,
  staff: StaffActor & { sessionId: string },
  centerId: string,
  now = new Date(),
): Promise<Result<true, 'center.not_found' | 'staff.has_center'>> {
  return transact(db, async (tx): Promise<Result<true, 'center.not_found' | 'staff.has_center'>> => {
    await requireRole(tx, staff, []);
    const [member] = await tx
      .select({ own: staffUsers.centerId })
      .from(staffUsers)
      .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, staff.staffId)));
    if (member?.own) return err('staff.has_center');
    const [center] = await tx
      .select({ code: serviceCenters.code })
      .from(serviceCenters)
      .where(
        and(
          eq(serviceCenters.operatorId, staff.operatorId),
          eq(serviceCenters.id, centerId),
          eq(serviceCenters.active, true),
        ),
      );
    if (!center) return err('center.not_found');
    await tx
      .update(sessions)
      .set({ counterCenterId: centerId })
      .where(and(eq(sessions.id, staff.sessionId), eq(sessions.staffId, staff.staffId)));
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'counter.center_chosen',
        targetKind: 'center',
        targetId: centerId,
        ip: staff.ip,
        data: { code: center.code },
      },
      now,
    );
    return ok(true);
  });
}

/** The operator's open centers, for an administrator to choose the counter's. */
export const openCenters = (db: Db, operatorId: string) =>
  db
    .select({ id: serviceCenters.id, code: serviceCenters.code, name: serviceCenters.name })
    .from(serviceCenters)
    .where(and(eq(serviceCenters.operatorId, operatorId), eq(serviceCenters.active, true)))
    .orderBy(asc(serviceCenters.code));

export type CounterCenterChoice = Awaited<ReturnType<typeof openCenters>>[number];
