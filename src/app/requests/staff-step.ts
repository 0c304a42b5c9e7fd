import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { type StaffRole, staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import type { RequestEvent, TransitionError } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { transact } from '../transact.ts';
import type { ReplacementRequest } from './replacement-draft.ts';
import { noticeRequestUpdate, type RequestUpdate } from './request-notices.ts';
import { applyRequestEvent } from './request-transitions.ts';

/**
 * The one way staff act on a request: the staff member's role and operator are checked, the
 * request locked, the state machine decides before anything is written, and the request, its
 * records, the audit entry and the subscriber's notice are written in one transaction.
 */
export type StaffActor = {
  operatorId: string;
  staffId: string;
  ip: string;
  /** The staff session acting: what the member chose for it (an administrator's counter center) counts. */
  sessionId?: string;
};
export type StaffError =
  | 'staff.forbidden'
  | 'request.not_found'
  | 'request.own'
  | 'sim.out_of_stock'
  | 'request.changed'
  | 'request.sim_change_locked'
  | 'staff.other_center'
  | 'identity.mismatch'
  | TransitionError;

type Decided<D> = { event: RequestEvent; data?: Record<string, unknown>; detail: D };
export type Step<D> = {
  roles: StaffRole[];
  /** The event to apply, worked out (reading only) before anything is written. */
  decide: (request: ReplacementRequest, tx: Tx) => Promise<Result<Decided<D>, StaffError>>;
  extra?: (request: ReplacementRequest, tx: Tx) => Promise<Partial<typeof replacementRequests.$inferInsert>>;
  /** Records that follow from an accepted event: a SIM reserved, a shipment. */
  record?: (request: ReplacementRequest, detail: D, tx: Tx) => Promise<void>;
  notice?: (status: string) => RequestUpdate | null;
  /** A step on a center's stock: store agents may take it only for their own center. */
  atCenter?: boolean;
};

/** A use case called by a staff member without its role: the web layer's guard never lets one through, so it is refused outright. */
export class StaffForbidden extends Error {
  readonly statusCode = 403;
  constructor() {
    super('not allowed for this role');
  }
}

/**
 * Every staff use case checks the role itself, inside its transaction, as well as the web
 * layer's guard: called directly (a job, a script, a new route), it still refuses.
 */
export async function requireRole(tx: Tx, staff: StaffActor, roles: StaffRole[]): Promise<void> {
  if (!(await hasRole(tx, staff, roles))) throw new StaffForbidden();
}

/**
 * Whether the staff member holds one of the roles at their operator. Administrators hold every
 * role of their operator, but not the platform administrator's, which looks after every operator.
 */
export async function hasRole(tx: Db | Tx, staff: StaffActor, roles: StaffRole[]): Promise<boolean> {
  const rows = await tx
    .select({ role: staffRoles.role })
    .from(staffRoles)
    .where(and(eq(staffRoles.operatorId, staff.operatorId), eq(staffRoles.staffId, staff.staffId)));
  return rows.some(
    (r) =>
      roles.includes(r.role) ||
      (r.role === 'admin' && (roles.length === 0 || roles.some((role) => role !== 'platform_admin'))),
  );
}

/** Whether the subscriber account is the staff member's own, linked by the e-mail address they share. */
async function isOwnAccount(tx: Tx, staff: StaffActor, accountId: string): Promise<boolean> {
  const [own] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .innerJoin(
      staffUsers,
      and(eq(staffUsers.id, staff.staffId), sql`lower(${staffUsers.email}) = lower(${accounts.email})`),
    )
    .where(eq(accounts.id, accountId));
  return own !== undefined;
}

/**
 * The request locked for a staff member of its operator who holds one of the roles; never one
 * they created or one for their own subscriber account.
 */
export async function requestFor(
  tx: Tx,
  staff: StaffActor,
  requestId: string,
  roles: StaffRole[],
): Promise<Result<ReplacementRequest, StaffError>> {
  if (!(await hasRole(tx, staff, roles))) return err('staff.forbidden');
  const [request] = await tx
    .select()
    .from(replacementRequests)
    .where(and(eq(replacementRequests.operatorId, staff.operatorId), eq(replacementRequests.id, requestId)))
    .for('update');
  if (!request) return err('request.not_found');
  if (request.createdByStaffId === staff.staffId || (await isOwnAccount(tx, staff, request.accountId)))
    return err('request.own');
  return ok(request);
}

/**
 * One staff step: the machine decides first, then the request, its records, audit and notice are
 * written together. With `run` = `rehearse` it answers what the step would, every check made
 * (role, center, SIM-change lock, the machine) and nothing written: for a step that must call a
 * partner first (booking a parcel) only when the step itself will be accepted.
 */
export function act<D>(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  action: string,
  step: Step<D>,
  now: Date,
  run: typeof transact = transact,
): Promise<Result<ReplacementRequest['status'], StaffError>> {
  return run(db, (tx) => actIn(tx, links, staff, requestId, action, step, now));
}

async function actIn<D>(
  tx: Tx,
  links: Links,
  staff: StaffActor,
  requestId: string,
  action: string,
  step: Step<D>,
  now: Date,
): Promise<Result<ReplacementRequest['status'], StaffError>> {
  const found = await requestFor(tx, staff, requestId, step.roles);
  if (!found.ok) return found;
  const request = found.value;
  if (step.atCenter && !(await worksAt(tx, staff, request.centerId, ['admin', 'logistics'])))
    return err('staff.other_center');
  const decided = await step.decide(request, tx);
  if (!decided.ok) return decided;
  const { event, data: more, detail } = decided.value;
  const extra = (await step.extra?.(request, tx)) ?? {};
  const data = { ...dataOf(event), ...more };
  const applied = await applyRequestEvent(tx, request, event, { kind: 'staff', id: staff.staffId }, now, extra, data);
  if (!applied.ok) return applied;
  await step.record?.(request, detail, tx);
  const status = applied.value.state.status;
  await appendAudit(
    tx,
    {
      operatorId: staff.operatorId,
      actorKind: 'staff',
      actorId: staff.staffId,
      action,
      targetKind: 'replacement_request',
      targetId: request.id,
      ip: staff.ip,
      data: { reference: request.reference, to: status, ...data },
    },
    now,
  );
  const notice = step.notice?.(status);
  if (notice) await noticeRequestUpdate(tx, links, request, notice, noticeValues(data));
  return ok(status);
}

const dataOf = (event: RequestEvent): Record<string, unknown> => {
  const { type: _type, ...rest } = event;
  return rest;
};
const noticeValues = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
export const decided = (event: RequestEvent) => async () => ok({ event, detail: null });

/** Whether the staff member may act at this center: their own, or any with one of the `unbound` roles. */
export async function worksAt(
  tx: Tx,
  staff: StaffActor,
  centerId: string | null,
  unbound: StaffRole[],
): Promise<boolean> {
  const rows = await tx
    .select({ centerId: staffUsers.centerId, role: staffRoles.role })
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(and(eq(staffUsers.operatorId, staff.operatorId), eq(staffUsers.id, staff.staffId)));
  return rows.some((r) => unbound.includes(r.role) || (centerId !== null && r.centerId === centerId));
}
