import { randomUUID, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import type { Locale } from '../../db/schema/columns.ts';
import { appointments } from '../../db/schema/requests.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { type Slot, slotAt, visitDays } from '../../domain/visit-slots.ts';
import { translator } from '../../i18n/translate.ts';
import { newCode } from '../auth/one-time-codes.ts';
import { newToken, sha256 } from '../auth/tokens.ts';
import type { Links } from '../operators/links.ts';
import { enqueue } from '../outbox/outbox.ts';
import { newReference } from '../requests/replacement-draft.ts';
import { serializeOn, transact, transactKeeping } from '../transact.ts';
import { type CenterListing, centerDirectory } from './center-directory.ts';
import { type FloodError, spendVisitSms, withinVisitCap } from './visit-floods.ts';
import { type Appointment, manageToken, tellVisitor } from './visit-messages.ts';

/**
 * Booking a visit to a service center: slots cut from the center's hours, each taking as many
 * people as the operator set; a phone number proved by a one-time code (a signed-in subscriber
 * needs none); a ticket with a short code; a link to cancel or move it; a reminder the day before.
 */

/** How far ahead visits can be booked. */
export const BOOKING_DAYS = 7;
const CODE_MINUTES = 10;
const MAX_CODE_ATTEMPTS = 5;
/** Codes a phone may be sent in an hour, so the form cannot be used to flood a number. */
const CODES_PER_HOUR = 3;

export type VisitError =
  | 'visit.center_not_found'
  | 'visit.slot_unavailable'
  | 'visit.slot_full'
  | 'visit.too_many_codes'
  | 'visit.not_found'
  | 'visit.code_wrong'
  | 'visit.code_expired'
  | FloodError;

export type VisitContact = {
  name: string;
  phone: string;
  email: string | null;
  lineMsisdn: string | null;
  locale: Locale;
  accountId?: string;
  /** The address the booking comes from (the portal's visitor; none for the operator's API). */
  clientIp?: string | null;
};

export type OpenSlot = Slot & { free: number };
export type CenterSlots = { listing: CenterListing; days: { date: string; slots: OpenSlot[] }[] };

/** The center's bookable slots for the next days with the places left in each. */
export async function centerSlots(db: Db, operatorId: string, code: string, now: Date): Promise<CenterSlots | null> {
  const [listing] = await centerDirectory(db, operatorId, { now, code });
  if (!listing) return null;
  const { center } = listing;
  const days = visitDays(listing.schedule, now, BOOKING_DAYS, center.slotMinutes);
  const taken = await db
    .select({ startsAt: appointments.startsAt, n: count() })
    .from(appointments)
    .where(and(eq(appointments.centerId, center.id), eq(appointments.status, 'booked'), gt(appointments.startsAt, now)))
    .groupBy(appointments.startsAt);
  const takenAt = new Map(taken.map((row) => [row.startsAt.getTime(), row.n]));
  return {
    listing,
    days: days.map((day) => ({
      date: day.date,
      slots: day.slots.map((s) => ({
        ...s,
        free: Math.max(0, center.slotCapacity - (takenAt.get(s.startsAt.getTime()) ?? 0)),
      })),
    })),
  };
}

/**
 * Holds the chosen slot for a visitor who is not signed in and sends a code to the phone; the
 * place is taken only when the code comes back ({@link confirmVisit}).
 */
export async function requestVisit(
  db: Db,
  operatorId: string,
  code: string,
  startsAt: Date,
  contact: VisitContact,
  now = new Date(),
): Promise<Result<{ pendingId: string }, VisitError>> {
  const chosen = await chosenSlot(db, operatorId, code, startsAt, now);
  if (!chosen.ok) return chosen;
  return transact(db, async (tx): Promise<Result<{ pendingId: string }, VisitError>> => {
    await serializeOn(tx, `visit-codes:${operatorId}:${contact.phone}`);
    const visitor = { phone: contact.phone, clientIp: contact.clientIp ?? null };
    const capped = await withinVisitCap(tx, operatorId, visitor, now);
    if (!capped.ok) return capped;
    const [recent] = await tx
      .select({ n: count() })
      .from(appointments)
      .where(
        and(
          eq(appointments.operatorId, operatorId),
          eq(appointments.contactPhone, contact.phone),
          gt(appointments.createdAt, new Date(now.getTime() - 3_600_000)),
        ),
      );
    if ((recent?.n ?? 0) >= CODES_PER_HOUR) return err('visit.too_many_codes');
    // Full already: say so now, not after the visitor has typed the code.
    if (!(await takePlace(tx, chosen.value.centerId, chosen.value.slot.startsAt))) return err('visit.slot_full');
    const spent = await spendVisitSms(tx, operatorId, visitor, now);
    if (!spent.ok) return spent;
    const id = randomUUID();
    const oneTime = newCode();
    await tx.insert(appointments).values({
      id,
      ...appointmentValues(operatorId, chosen.value, contact),
      status: 'pending',
      codeHash: sha256(`${id}:${oneTime}`),
      codeExpiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
      manageTokenHash: sha256(newToken()),
      createdAt: now,
    });
    const t = translator(contact.locale);
    await enqueue(tx, {
      operatorId,
      topic: 'sms.send',
      payload: { to: contact.phone, text: t('visit.code.sms', { code: oneTime, minutes: CODE_MINUTES }) },
      idempotencyKey: `visit-code:${id}`,
    });
    return ok({ pendingId: id });
  });
}

const appointmentValues = (operatorId: string, chosen: ChosenSlot, contact: VisitContact) => ({
  operatorId,
  centerId: chosen.centerId,
  accountId: contact.accountId ?? null,
  startsAt: chosen.slot.startsAt,
  endsAt: chosen.slot.endsAt,
  contactName: contact.name,
  contactPhone: contact.phone,
  contactEmail: contact.email,
  lineMsisdn: contact.lineMsisdn,
  locale: contact.locale,
  clientIp: contact.clientIp ?? null,
  ticket: newReference('V'),
});

type ChosenSlot = { centerId: string; slot: Slot };

async function chosenSlot(
  db: Db,
  operatorId: string,
  code: string,
  startsAt: Date,
  now: Date,
): Promise<Result<ChosenSlot, VisitError>> {
  const [listing] = await centerDirectory(db, operatorId, { now, code });
  if (!listing) return err('visit.center_not_found');
  const slot = slotAt(listing.schedule, now, BOOKING_DAYS, listing.center.slotMinutes, startsAt);
  return slot ? ok({ centerId: listing.center.id, slot }) : err('visit.slot_unavailable');
}

/**
 * Locks the center's row, so two people booking its last place at once are served one after the
 * other and the second finds it full. A booking takes it before writing its appointment: the
 * appointment's foreign key takes a share lock on the same row, and two transactions each
 * holding that share while asking for the update lock would deadlock.
 */
async function lockCenter(tx: Tx, centerId: string): Promise<number> {
  const [center] = await tx
    .select({ capacity: serviceCenters.slotCapacity })
    .from(serviceCenters)
    .where(eq(serviceCenters.id, centerId))
    .for('update');
  return center?.capacity ?? 0;
}

/** Takes a place in the slot if one is free, under the center's lock. */
async function takePlace(tx: Tx, centerId: string, startsAt: Date, except?: string): Promise<boolean> {
  const capacity = await lockCenter(tx, centerId);
  const booked = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(eq(appointments.centerId, centerId), eq(appointments.startsAt, startsAt), eq(appointments.status, 'booked')),
    );
  return booked.filter((b) => b.id !== except).length < capacity;
}

/** The code typed back: the place is taken (if still free) and the confirmation sent. */
export async function confirmVisit(
  db: Db,
  links: Links,
  operatorId: string,
  pendingId: string,
  typed: string,
  now = new Date(),
): Promise<Result<{ token: string }, VisitError>> {
  return transactKeeping(
    db,
    // The attempt is counted under the visit's lock before the code is compared, and stays counted
    // when the code is wrong: twenty wrong codes sent at once are five checked, then refused.
    async (tx): Promise<Result<Appointment, VisitError>> => {
      const [visit] = await tx
        .select()
        .from(appointments)
        .where(
          and(
            eq(appointments.operatorId, operatorId),
            eq(appointments.id, pendingId),
            eq(appointments.status, 'pending'),
          ),
        )
        .for('update');
      if (!visit?.codeHash) return err('visit.not_found');
      if (!visit.codeExpiresAt || visit.codeExpiresAt <= now || visit.codeAttempts >= MAX_CODE_ATTEMPTS)
        return err('visit.code_expired');
      await tx.update(appointments).set({ codeAttempts: sqlIncrement() }).where(eq(appointments.id, visit.id));
      return ok(visit);
    },
    async (tx, visit): Promise<Result<{ token: string }, VisitError>> => {
      const expected = Buffer.from(visit.codeHash ?? '');
      const given = Buffer.from(sha256(`${visit.id}:${typed.replace(/\D/g, '')}`));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return err('visit.code_wrong');
      return book(tx, links, visit, now);
    },
  );
}

const sqlIncrement = () => sql`${appointments.codeAttempts} + 1`;

async function book(
  tx: Tx,
  links: Links,
  visit: Appointment,
  now: Date,
): Promise<Result<{ token: string }, VisitError>> {
  if (!(await takePlace(tx, visit.centerId, visit.startsAt))) return err('visit.slot_full');
  const token = manageToken(links, visit.id);
  await tx
    .update(appointments)
    .set({ status: 'booked', codeHash: null, codeExpiresAt: null, manageTokenHash: sha256(token) })
    .where(eq(appointments.id, visit.id));
  await tellVisitor(tx, links, { ...visit, status: 'booked' }, 'confirm', now);
  return ok({ token });
}

/**
 * A signed-in subscriber books straight away: the session already proves who they are (as the
 * operator's system does for a booking through the API, which names the visit's `id`).
 */
export async function bookVisit(
  db: Db,
  links: Links,
  operatorId: string,
  code: string,
  startsAt: Date,
  contact: VisitContact,
  now = new Date(),
  id?: string,
): Promise<Result<{ token: string }, VisitError>> {
  const chosen = await chosenSlot(db, operatorId, code, startsAt, now);
  if (!chosen.ok) return chosen;
  return transact(db, async (tx): Promise<Result<{ token: string }, VisitError>> => {
    const visitor = { accountId: contact.accountId, phone: contact.phone, clientIp: contact.clientIp ?? null };
    const capped = await withinVisitCap(tx, operatorId, visitor, now);
    if (!capped.ok) return capped;
    await lockCenter(tx, chosen.value.centerId);
    const [visit] = await tx
      .insert(appointments)
      .values({
        ...appointmentValues(operatorId, chosen.value, contact),
        ...(id ? { id } : {}),
        status: 'pending',
        manageTokenHash: sha256(newToken()),
        createdAt: now,
      })
      .returning();
    return book(tx, links, visit as Appointment, now);
  });
}

export type Visit = Appointment & { center: typeof serviceCenters.$inferSelect };

/** One of this operator's visits with its center, as the API shows it after booking. */
export async function visitById(db: Db | Tx, operatorId: string, id: string): Promise<Visit | null> {
  const [row] = await db
    .select({ visit: appointments, center: serviceCenters })
    .from(appointments)
    .innerJoin(serviceCenters, eq(serviceCenters.id, appointments.centerId))
    .where(and(eq(appointments.operatorId, operatorId), eq(appointments.id, id)));
  return row ? { ...row.visit, center: row.center } : null;
}

/** A signed-in subscriber as a visitor: the account's name, first active line and e-mail. */
export async function accountVisitor(db: Db, accountId: string, locale: Locale): Promise<VisitContact | null> {
  const [row] = await db
    .select({ account: accounts, msisdn: lines.msisdn })
    .from(accounts)
    .innerJoin(lines, eq(lines.accountId, accounts.id))
    .where(and(eq(accounts.id, accountId), eq(lines.status, 'active')))
    .orderBy(asc(lines.createdAt))
    .limit(1);
  if (!row) return null;
  return {
    name: row.account.fullName,
    phone: row.msisdn,
    email: row.account.email,
    lineMsisdn: null,
    locale,
    accountId: row.account.id,
  };
}

/** The visit a cancel-or-move link points at, on this operator's site. */
export async function visitByToken(db: Db | Tx, operatorId: string, token: string): Promise<Visit | null> {
  const [row] = await db
    .select({ visit: appointments, center: serviceCenters })
    .from(appointments)
    .innerJoin(serviceCenters, eq(serviceCenters.id, appointments.centerId))
    .where(and(eq(appointments.operatorId, operatorId), eq(appointments.manageTokenHash, sha256(token))));
  return row ? { ...row.visit, center: row.center } : null;
}

/** Cancels a booked visit from its link; its place is free again at once. */
export async function cancelVisit(
  db: Db,
  links: Links,
  operatorId: string,
  token: string,
  now = new Date(),
): Promise<Result<null, VisitError>> {
  return transact(db, async (tx) => {
    const visit = await lockedVisit(tx, operatorId, token);
    if (visit?.status !== 'booked') return err('visit.not_found' as const);
    await tx.update(appointments).set({ status: 'cancelled' }).where(eq(appointments.id, visit.id));
    await tellVisitor(tx, links, visit, 'cancelled', now);
    return ok(null);
  });
}

/** Moves a booked visit to another slot of the same center, if a place is free there. */
export async function moveVisit(
  db: Db,
  links: Links,
  operatorId: string,
  token: string,
  startsAt: Date,
  now = new Date(),
): Promise<Result<null, VisitError>> {
  const current = await visitByToken(db, operatorId, token);
  if (current?.status !== 'booked') return err('visit.not_found');
  const chosen = await chosenSlot(db, operatorId, current.center.code, startsAt, now);
  if (!chosen.ok) return chosen;
  return transact(db, async (tx) => {
    const visit = await lockedVisit(tx, operatorId, token);
    if (visit?.status !== 'booked') return err('visit.not_found' as const);
    if (!(await takePlace(tx, visit.centerId, chosen.value.slot.startsAt, visit.id)))
      return err('visit.slot_full' as const);
    const moved = {
      ...visit,
      startsAt: chosen.value.slot.startsAt,
      endsAt: chosen.value.slot.endsAt,
      reminderSentAt: null,
    };
    await tx
      .update(appointments)
      .set({ startsAt: moved.startsAt, endsAt: moved.endsAt, reminderSentAt: null })
      .where(eq(appointments.id, visit.id));
    await tellVisitor(tx, links, moved, 'moved', now);
    return ok(null);
  });
}

async function lockedVisit(tx: Tx, operatorId: string, token: string) {
  const [visit] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.operatorId, operatorId), eq(appointments.manageTokenHash, sha256(token))))
    .for('update');
  return visit;
}

/** Bookings whose code was never typed, forgotten a day after the code expired: they never held a place. */
export async function purgeUnconfirmedVisits(db: Db, now = new Date()): Promise<number> {
  const purged = await db
    .delete(appointments)
    .where(
      and(eq(appointments.status, 'pending'), lte(appointments.codeExpiresAt, new Date(now.getTime() - 86_400_000))),
    )
    .returning({ id: appointments.id });
  return purged.length;
}
