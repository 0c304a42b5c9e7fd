import { createHash } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiIdempotencyKeys } from '../../db/schema/api.ts';

/** How long a key is remembered: a client retrying a lost answer does so within a day. */
export const IDEMPOTENCY_HOURS = 24;
/**
 * A first call whose claim has not been renewed for this long died with its process (a running
 * call renews it every few seconds, see {@link holdClaim}). Its repeat runs again:
 * every creating call is itself keyed (the draft per line, the payment and the webhook
 * subscription by ids derived from the key, the document per request), so running it twice
 * finds what the first run made.
 */
const ABANDONED_MS = 10_000;
const RENEW_MS = 3_000;

export type StoredAnswer = { status: number; response: unknown; location: string | null };
export type Claim =
  /** `abandoned`: a first call with this key died unanswered, and what it did may be done already. */
  | { kind: 'new'; abandoned?: true }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

type Call = { operatorId: string; clientId: string; key: string; method: string; path: string; body: unknown };

const keyOf = (clientId: string, key: string) =>
  and(eq(apiIdempotencyKeys.clientId, clientId), eq(apiIdempotencyKeys.key, key));

export const fingerprintOf = (call: Pick<Call, 'method' | 'path' | 'body'>) =>
  createHash('sha256')
    .update(`${call.method} ${call.path}\n${JSON.stringify(call.body ?? null)}`)
    .digest('hex');

/**
 * Claims an `Idempotency-Key` for a call: the first claim runs it; a repeat with the same
 * method, path and body gets the stored answer, with anything else a mismatch; a repeat while
 * the first is still running is told so. Keys are the client's own, never shared between clients.
 */
export async function claimKey(db: Db, call: Call, now = new Date()): Promise<Claim> {
  const fingerprint = fingerprintOf(call);
  const inserted = await db
    .insert(apiIdempotencyKeys)
    .values({ operatorId: call.operatorId, clientId: call.clientId, key: call.key, fingerprint })
    .onConflictDoNothing()
    .returning({ key: apiIdempotencyKeys.key });
  if (inserted.length > 0) return { kind: 'new' };
  const [kept] = await db
    .select()
    .from(apiIdempotencyKeys)
    .where(and(eq(apiIdempotencyKeys.clientId, call.clientId), eq(apiIdempotencyKeys.key, call.key)));
  if (!kept) return claimKey(db, call, now);
  if (kept.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (kept.status === null) {
    const reclaimed = await db
      .update(apiIdempotencyKeys)
      .set({ createdAt: now })
      .where(
        and(
          keyOf(call.clientId, call.key),
          isNull(apiIdempotencyKeys.status),
          lt(apiIdempotencyKeys.createdAt, new Date(now.getTime() - ABANDONED_MS)),
        ),
      )
      .returning({ key: apiIdempotencyKeys.key });
    return reclaimed.length > 0 ? { kind: 'new', abandoned: true } : { kind: 'in_progress' };
  }
  return { kind: 'replay', answer: { status: kept.status, response: kept.response, location: kept.location } };
}

/** Keeps the answer of a call that succeeded, for the repeats. */
export async function keepAnswer(db: Db, clientId: string, key: string, answer: StoredAnswer): Promise<void> {
  await db
    .update(apiIdempotencyKeys)
    .set({ status: answer.status, response: answer.response, location: answer.location })
    .where(keyOf(clientId, key));
}

/** Renews the claim of a running call until the returned function is called, so that only a dead one is taken over. */
export function holdClaim(db: Db, clientId: string, key: string): () => void {
  const renewal = setInterval(() => {
    db.update(apiIdempotencyKeys)
      .set({ createdAt: new Date() })
      .where(and(keyOf(clientId, key), isNull(apiIdempotencyKeys.status)))
      .catch(() => {});
  }, RENEW_MS);
  return () => clearInterval(renewal);
}

/** Lets the key go after a call that failed, so the client may correct it and send it again under the same key. */
export async function releaseKey(db: Db, clientId: string, key: string): Promise<void> {
  await db.delete(apiIdempotencyKeys).where(keyOf(clientId, key));
}

/** Forgets keys older than {@link IDEMPOTENCY_HOURS}. */
export async function purgeIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const gone = await db
    .delete(apiIdempotencyKeys)
    .where(lt(apiIdempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_HOURS * 3_600_000)))
    .returning({ key: apiIdempotencyKeys.key });
  return gone.length;
}
