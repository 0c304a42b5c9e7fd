import { eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { readModel, rowFromJson } from '../../db/json-rows.ts';
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
  /** The CSRF token of this session's forms. */
  csrfToken: string;
  /** Version of what the account's pages show (see accounts.views_version). */
  viewsVersion: number;
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

type SessionRead = { row: typeof sessions.$inferSelect; viewsVersion: number };

/** The session row behind an id with the version of its account's pages, in one cheap call. */
async function readSession(db: Db, id: string): Promise<SessionRead | null> {
  const model = await readModel<{ session: Record<string, unknown>; views_version: number | null }>(
    db,
    sql`portal_session(${id})`,
  );
  return model && { row: rowFromJson(sessions, model.session), viewsVersion: model.views_version ?? 0 };
}

/** Whether a session read is live for this operator now, extending its idle timeout. */
async function liveSession(
  db: Db,
  read: SessionRead | null,
  operatorId: string,
  now: Date,
): Promise<SubscriberSession | null> {
  const row = read?.row;
  if (!read || !row?.accountId || row.operatorId !== operatorId || row.expiresAt <= now) return null;
  const absoluteEnd = row.createdAt.getTime() + ABSOLUTE_HOURS * 3600_000;
  if (now.getTime() > absoluteEnd) {
    await db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  // Extending the idle timeout is a write; once a minute is precise enough and spares a write per page.
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + IDLE_MINUTES * 60_000, absoluteEnd));
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, row.id));
  }
  return {
    id: row.id,
    operatorId: row.operatorId,
    accountId: row.accountId,
    createdAt: row.createdAt,
    secondFactorAt: row.secondFactorAt,
    reauthenticatedAt: row.reauthenticatedAt,
    csrfToken: row.csrfToken,
    viewsVersion: read.viewsVersion,
  };
}

export type SessionStore = {
  /** The live session for a cookie token, extending its idle timeout; null when unknown or expired. */
  resume(operatorId: string, token: string, now?: Date): Promise<SubscriberSession | null>;
  close(): Promise<void>;
};

/**
 * Sessions as every page reads them. On PostgreSQL, one cheap call per page, so every instance
 * behind a load balancer sees a change at once. Embedded PGlite serves one process and delivers
 * its notifications before the change's own query returns, so there sessions are kept in memory
 * and dropped the moment their row or their account's version changes: a page costs no query.
 */
export async function sessionStore(database: Database): Promise<SessionStore> {
  const { db } = database;
  if (database.kind !== 'pglite')
    return {
      resume: async (operatorId, token, now = new Date()) =>
        liveSession(db, await readSession(db, sha256(token)), operatorId, now),
      close: async () => {},
    };
  const held = new Map<string, SessionRead>();
  const byAccount = new Map<string, Set<string>>();
  const forget = (id: string) => {
    const accountId = held.get(id)?.row.accountId;
    held.delete(id);
    if (accountId) byAccount.get(accountId)?.delete(id);
  };
  const stops = [
    await database.listen(SESSION_CHANGES, (id) => (id === null ? held.clear() : forget(id))),
    await database.listen(ACCOUNT_CHANGES, (accountId) => {
      if (accountId === null) return held.clear();
      for (const id of byAccount.get(accountId) ?? []) held.delete(id);
      byAccount.delete(accountId);
    }),
  ];
  return {
    async resume(operatorId, token, now = new Date()) {
      const id = sha256(token);
      let read = held.get(id) ?? null;
      if (!read) {
        read = await readSession(db, id);
        if (read?.row.accountId) {
          if (held.size >= MAX_HELD) held.delete(held.keys().next().value as string);
          held.set(id, read);
          const ids = byAccount.get(read.row.accountId) ?? new Set();
          byAccount.set(read.row.accountId, ids.add(id));
        }
      }
      return liveSession(db, read, operatorId, now);
    },
    close: async () => {
      for (const stop of stops) await stop();
    },
  };
}

const MAX_HELD = 10_000;
/** Channels the database notifies (see the migrations): a session's id, an account's id. */
const SESSION_CHANGES = 'simdesk_sessions';
const ACCOUNT_CHANGES = 'simdesk_accounts';

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** "Sign out everywhere": ends every session of the account. */
export async function endAllSessions(db: Db, accountId: string): Promise<number> {
  const ended = await db.delete(sessions).where(eq(sessions.accountId, accountId)).returning({ id: sessions.id });
  return ended.length;
}
