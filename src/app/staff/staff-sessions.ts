import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sessions } from '../../db/schema/security.ts';
import { type StaffRole, staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { newToken, sha256 } from '../auth/tokens.ts';

/** Staff sessions are shorter than subscribers': a counter screen left alone locks itself soon. */
export const STAFF_IDLE_MINUTES = 15;
const STAFF_ABSOLUTE_HOURS = 10;
/** A password checked but no authenticator code yet: this long to type it. */
const PENDING_MINUTES = 5;

export type StaffSession = {
  id: string;
  operatorId: string;
  staffId: string;
  /** The authenticator code was confirmed; before that the session only reaches the code page. */
  verified: boolean;
  csrfToken: string;
  fullName: string;
  email: string;
  roles: StaffRole[];
  /** Where the member works: their own center or, for an administrator without one, the center chosen for this session. */
  centerId: string | null;
  /** An administrator without a center of their own, who picks the counter's center per session. */
  choosesCenter: boolean;
  /** The password is one an administrator set: nothing but changing it is open until it is changed. */
  passwordChangeRequired: boolean;
};

type Client = { ip: string; userAgent: string | undefined };

/**
 * A new staff session and its cookie token. Each step of the sign-in gets a new token (after
 * the password, then after the code), so a token seen before the second factor is worthless.
 */
export async function startStaffSession(
  db: Db,
  subject: { operatorId: string; staffId: string; verified: boolean },
  client: Client,
  now = new Date(),
): Promise<string> {
  const token = newToken();
  const minutes = subject.verified ? STAFF_IDLE_MINUTES : PENDING_MINUTES;
  await db.insert(sessions).values({
    id: sha256(token),
    operatorId: subject.operatorId,
    subject: 'staff',
    staffId: subject.staffId,
    csrfToken: newToken(),
    secondFactorAt: subject.verified ? now : null,
    ip: client.ip,
    userAgent: client.userAgent ?? null,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + minutes * 60_000),
  });
  return token;
}

const SEEN_EVERY_MS = 60_000;

/** The live staff session of a cookie token on this operator's site, its idle time extended. */
export async function resumeStaffSession(
  db: Db,
  operatorId: string,
  token: string,
  now = new Date(),
): Promise<StaffSession | null> {
  const id = sha256(token);
  const rows = await db
    .select({
      session: sessions,
      fullName: staffUsers.fullName,
      email: staffUsers.email,
      centerId: staffUsers.centerId,
      passwordChangeRequired: staffUsers.passwordChangeRequired,
      active: staffUsers.active,
      role: staffRoles.role,
    })
    .from(sessions)
    .innerJoin(staffUsers, eq(staffUsers.id, sessions.staffId))
    .leftJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(and(eq(sessions.id, id), eq(sessions.subject, 'staff'), eq(sessions.operatorId, operatorId)));
  const first = rows[0];
  if (!first?.active || !first.session.staffId || first.session.expiresAt <= now) return null;
  const { session } = first;
  const absoluteEnd = session.createdAt.getTime() + STAFF_ABSOLUTE_HOURS * 3_600_000;
  if (now.getTime() > absoluteEnd) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  const verified = session.secondFactorAt !== null;
  // The idle timer moves on at most once a minute: a page view is then a read, not a write.
  if (verified && now.getTime() - session.lastSeenAt.getTime() >= SEEN_EVERY_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + STAFF_IDLE_MINUTES * 60_000, absoluteEnd));
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  }
  const roles = rows.flatMap((r) => (r.role ? [r.role] : []));
  const choosesCenter = first.centerId === null && roles.includes('admin');
  return {
    id,
    operatorId,
    staffId: session.staffId as string,
    verified,
    csrfToken: session.csrfToken,
    fullName: first.fullName,
    email: first.email,
    roles,
    centerId: first.centerId ?? (choosesCenter ? session.counterCenterId : null),
    choosesCenter,
    passwordChangeRequired: first.passwordChangeRequired,
  };
}

export async function endStaffSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.id, sha256(token)), eq(sessions.subject, 'staff')));
}

/** "Sign out on every device": every session of this staff member ends. */
export async function endAllStaffSessions(db: Db, staffId: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.staffId, staffId), eq(sessions.subject, 'staff')));
}
