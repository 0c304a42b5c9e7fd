import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sessions } from '../../db/schema/security.ts';
import { newToken, sha256 } from './tokens.ts';

/** Sessions end after this long without a request, and after the absolute limit in any case. */
export const IDLE_MINUTES = 30;
const ABSOLUTE_HOURS = 12;
const TOUCH_EVERY_MS = 60_000;

export type SubscriberSession = {
  id: string;
  operatorId: string;
  accountId: string;
  createdAt: Date;
  secondFactorAt: Date | null;
  reauthenticatedAt: Date | null;
};

type Client = { ip: string; userAgent: string | undefined };

/** Starts a session and returns the cookie token (a fresh one at every sign-in). */
export async function startSession(
  db: Db,
  subject: { operatorId: string; accountId: string },
  client: Client,
  now = new Date(),
): Promise<string> {
  const token = newToken();
  await db.insert(sessions).values({
    id: sha256(token),
    operatorId: subject.operatorId,
    subject: 'subscriber',
    accountId: subject.accountId,
    csrfToken: newToken(),
    ip: client.ip,
    userAgent: client.userAgent ?? null,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + IDLE_MINUTES * 60_000),
  });
  return token;
}

/** The live session for a cookie token, extending its idle timeout; null when unknown or expired. */
export async function resumeSession(
  db: Db,
  operatorId: string,
  token: string,
  now = new Date(),
): Promise<SubscriberSession | null> {
  const id = sha256(token);
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.operatorId, operatorId), gt(sessions.expiresAt, now)));
  if (!row?.accountId) return null;
  const absoluteEnd = row.createdAt.getTime() + ABSOLUTE_HOURS * 3600_000;
  if (now.getTime() > absoluteEnd) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  // Extending the idle timeout is a write; once a minute is precise enough and spares a write per page.
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + IDLE_MINUTES * 60_000, absoluteEnd));
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  }
  return {
    id,
    operatorId: row.operatorId,
    accountId: row.accountId,
    createdAt: row.createdAt,
    secondFactorAt: row.secondFactorAt,
    reauthenticatedAt: row.reauthenticatedAt,
  };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** "Sign out everywhere": ends every session of the account. */
export async function endAllSessions(db: Db, accountId: string): Promise<number> {
  const ended = await db.delete(sessions).where(eq(sessions.accountId, accountId)).returning({ id: sessions.id });
  return ended.length;
}
