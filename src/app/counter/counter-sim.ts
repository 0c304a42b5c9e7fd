import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { sims } from '../../db/schema/sims.ts';
import { parseIccid } from '../../domain/iccid.ts';
import { err, type Result } from '../../domain/result.ts';
import type { Links } from '../operators/links.ts';
import { completeActivation } from '../requests/activation.ts';
import type { ReplacementRequest } from '../requests/replacement-draft.ts';
import { applyRequestEvent } from '../requests/request-transitions.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { type CounterError, counterRequest, reread } from './walk-in.ts';

/** The last step of a walk-in: the new card (or eSIM profile) handed over and the line moved to it at once. */

/**
 * The card the agent scanned or typed: it must pass the Luhn check, be one of this center's
 * cards still on the shelf, and be a physical card. The row is locked, so two agents scanning
 * the same ICCID at once cannot both hand it over. It is activated at once: the line moves to
 * it, the old card is cut off in the network and the change is recorded.
 */
export async function handOverCounterSim(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  typedIccid: string,
  now = new Date(),
): Promise<Result<{ msisdn: string }, CounterError>> {
  const iccid = parseIccid(typedIccid);
  if (!iccid.ok) return iccid;
  return transact(db, async (tx): Promise<Result<{ msisdn: string }, CounterError>> => {
    await requireRole(tx, staff, ['store_agent']);
    const found = await counterRequest(tx, staff, requestId);
    if (!found.ok) return found;
    const request = found.value;
    if (request.status !== 'approved' || request.simType !== 'physical') return err('counter.wrong_step');
    const [sim] = await tx
      .select()
      .from(sims)
      .where(and(eq(sims.operatorId, staff.operatorId), eq(sims.iccid, iccid.value)))
      .for('update');
    if (!sim) return err('sim.unknown');
    if (sim.formFactor === 'esim') return err('sim.wrong_kind');
    if (sim.status !== 'in_stock') return err('sim.in_use');
    if (sim.centerId !== request.centerId) return err('sim.other_center');
    return assignAndActivate(tx, links, staff, request, sim.id, now);
  });
}

async function assignAndActivate(
  tx: Tx,
  links: Links,
  staff: StaffActor,
  request: ReplacementRequest,
  simId: string,
  now: Date,
  extra: Partial<ReplacementRequest> = {},
): Promise<Result<{ msisdn: string }, CounterError>> {
  const actor = { kind: 'staff' as const, id: staff.staffId, ip: staff.ip };
  const assigned = await applyRequestEvent(tx, request, { type: 'assign_sim', simId }, actor, now, extra);
  if (!assigned.ok) return err('request.changed');
  await tx.update(sims).set({ status: 'reserved' }).where(eq(sims.id, simId));
  const activated = await completeActivation(tx, links, await reread(tx, request.id), actor, now);
  return activated.ok ? activated : err('request.changed');
}

/**
 * An eSIM at the counter: the next free profile of the operator is assigned and the line moved
 * to it at once; the agent's screen then shows its activation code as a QR for the subscriber's
 * phone to scan. Profiles are taken with SKIP LOCKED so two counters never get the same one.
 */
export async function issueCounterEsim(
  db: Db,
  links: Links,
  staff: StaffActor,
  requestId: string,
  now = new Date(),
): Promise<Result<{ msisdn: string }, CounterError>> {
  return transact(db, async (tx): Promise<Result<{ msisdn: string }, CounterError>> => {
    await requireRole(tx, staff, ['store_agent']);
    const found = await counterRequest(tx, staff, requestId);
    if (!found.ok) return found;
    const request = found.value;
    if (request.status !== 'approved' || request.simType !== 'esim') return err('counter.wrong_step');
    const [profile] = await tx
      .select({ id: sims.id })
      .from(sims)
      .where(and(eq(sims.operatorId, staff.operatorId), eq(sims.formFactor, 'esim'), eq(sims.status, 'in_stock')))
      .orderBy(asc(sims.createdAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!profile) return err('sim.out_of_stock');
    return assignAndActivate(tx, links, staff, request, profile.id, now, { activationCodeShownAt: now });
  });
}
