import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { sims, simTransfers } from '../../db/schema/sims.ts';
import { type IccidError, parseIccid } from '../../domain/iccid.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { warnIfLowStock } from '../centers/low-stock.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';

/** A line of the ICCID list that cannot travel, by its line number. */
export type TransferProblem = { line: number; problem: IccidError | 'transfer.not_here' | 'transfer.repeated' };
export type TransferRefusal = 'transfer.same_place' | 'transfer.empty' | 'transfer.unknown_place' | TransferProblem[];

export type OpenTransfer = {
  id: string;
  from: Record<string, string> | null;
  to: Record<string, string> | null;
  cards: number;
  createdAt: Date;
};

const place = (centerId: string | null) => (centerId ? eq(sims.centerId, centerId) : isNull(sims.centerId));

/**
 * Sends the listed cards (one ICCID per line, as a scanner types them) from one place to
 * another. Every card must be in stock at the origin; otherwise nothing moves and each bad line
 * is named. The cards travel booked to the destination, `in_transit` until received there.
 */
export function sendTransfer(
  db: Db,
  staff: StaffActor,
  input: { from: string | null; to: string | null; iccids: string },
  now = new Date(),
): Promise<Result<{ id: string; cards: number }, TransferRefusal>> {
  if (input.from === input.to) return Promise.resolve(err('transfer.same_place' as const));
  const lines = input.iccids.split(/\r?\n/).map((l, i) => ({ line: i + 1, text: l.trim() }));
  const typed = lines.filter((l) => l.text !== '');
  if (typed.length === 0) return Promise.resolve(err('transfer.empty' as const));
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['logistics']);
    for (const centerId of [input.from, input.to].filter((c): c is string => c !== null)) {
      const [center] = await tx
        .select({ id: serviceCenters.id })
        .from(serviceCenters)
        .where(and(eq(serviceCenters.operatorId, staff.operatorId), eq(serviceCenters.id, centerId)));
      if (!center) return err('transfer.unknown_place' as const);
    }
    const problems: TransferProblem[] = [];
    const wanted = new Map<string, number>();
    for (const { line, text } of typed) {
      const iccid = parseIccid(text);
      if (!iccid.ok) problems.push({ line, problem: iccid.error });
      else if (wanted.has(iccid.value)) problems.push({ line, problem: 'transfer.repeated' });
      else wanted.set(iccid.value, line);
    }
    const found = wanted.size
      ? await tx
          .select({ id: sims.id, iccid: sims.iccid, formFactor: sims.formFactor })
          .from(sims)
          .where(
            and(
              eq(sims.operatorId, staff.operatorId),
              inArray(sims.iccid, [...wanted.keys()]),
              eq(sims.status, 'in_stock'),
              place(input.from),
            ),
          )
          .for('update')
      : [];
    const here = new Set(found.map((s) => s.iccid));
    for (const [iccid, line] of wanted) if (!here.has(iccid)) problems.push({ line, problem: 'transfer.not_here' });
    if (problems.length > 0) return err(problems.sort((a, b) => a.line - b.line));
    const [transfer] = await tx
      .insert(simTransfers)
      .values({
        operatorId: staff.operatorId,
        fromCenterId: input.from,
        toCenterId: input.to,
        cards: found.length,
        sentByStaffId: staff.staffId,
        createdAt: now,
      })
      .returning({ id: simTransfers.id });
    const id = (transfer as { id: string }).id;
    await tx
      .update(sims)
      .set({ status: 'in_transit', centerId: input.to, transferId: id })
      .where(
        inArray(
          sims.id,
          found.map((s) => s.id),
        ),
      );
    if (input.from) {
      await warnIfLowStock(tx, staff.operatorId, input.from, false, now);
      await warnIfLowStock(tx, staff.operatorId, input.from, true, now);
    }
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'inventory.transfer_sent',
        targetKind: 'sim_transfer',
        targetId: id,
        ip: staff.ip,
        data: { from: input.from, to: input.to, iccids: found.map((s) => s.iccid).sort() },
      },
      now,
    );
    return ok({ id, cards: found.length });
  });
}

/**
 * The cards of a transfer arrived: stock at the destination. A transfer is received once; a
 * center's agent receives only what was sent to their center (`at`).
 */
export function receiveTransfer(
  db: Db,
  staff: StaffActor,
  transferId: string,
  now = new Date(),
  at: string | null = null,
): Promise<Result<number, 'transfer.not_found'>> {
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['store_agent', 'logistics']);
    const [transfer] = await tx
      .update(simTransfers)
      .set({ receivedAt: now, receivedByStaffId: staff.staffId })
      .where(
        and(
          eq(simTransfers.operatorId, staff.operatorId),
          eq(simTransfers.id, transferId),
          isNull(simTransfers.receivedAt),
          ...(at ? [eq(simTransfers.toCenterId, at)] : []),
        ),
      )
      .returning();
    if (!transfer) return err('transfer.not_found' as const);
    const arrived = await tx
      .update(sims)
      .set({ status: 'in_stock', transferId: null })
      .where(and(eq(sims.transferId, transferId), eq(sims.status, 'in_transit')))
      .returning({ id: sims.id });
    await appendAudit(
      tx,
      {
        operatorId: staff.operatorId,
        actorKind: 'staff',
        actorId: staff.staffId,
        action: 'inventory.transfer_received',
        targetKind: 'sim_transfer',
        targetId: transferId,
        ip: staff.ip,
        data: { cards: arrived.length },
      },
      now,
    );
    return ok(arrived.length);
  });
}

/** Transfers on their way, oldest first; only those to one center when `toCenter` is given. */
export async function openTransfers(
  db: Db,
  operatorId: string,
  toCenter: string | null = null,
): Promise<OpenTransfer[]> {
  const from = sql<Record<
    string,
    string
  > | null>`(select name from service_centers c where c.id = ${simTransfers.fromCenterId})`;
  const to = sql<Record<
    string,
    string
  > | null>`(select name from service_centers c where c.id = ${simTransfers.toCenterId})`;
  return db
    .select({ id: simTransfers.id, from, to, cards: simTransfers.cards, createdAt: simTransfers.createdAt })
    .from(simTransfers)
    .where(
      and(
        eq(simTransfers.operatorId, operatorId),
        isNull(simTransfers.receivedAt),
        ...(toCenter ? [eq(simTransfers.toCenterId, toCenter)] : []),
      ),
    )
    .orderBy(asc(simTransfers.createdAt));
}
