import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ApiScope, apiClients, apiUsage } from '../../db/schema/api.ts';
import { appendAudit } from '../audit/audit-log.ts';

export type ApiClient = typeof apiClients.$inferSelect;

/** Compared against when the client id is unknown, so a wrong id costs what a wrong secret does. */
const DECOY = hash('simdesk-decoy-secret');

/**
 * Registers an API client of an operator: a public client id and a secret shown this once; only
 * the secret's argon2id hash is kept.
 */
export async function createApiClient(
  db: Db,
  c: { operatorId: string; name: string; scopes: ApiScope[]; staffId?: string; ratePerMinute?: number },
): Promise<{ clientId: string; secret: string }> {
  const clientId = `sd_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const [created] = await db
    .insert(apiClients)
    .values({
      operatorId: c.operatorId,
      name: c.name,
      clientId,
      secretHash: await hash(secret),
      scopes: [...new Set(c.scopes)],
      ...(c.ratePerMinute ? { ratePerMinute: c.ratePerMinute } : {}),
      createdByStaffId: c.staffId ?? null,
    })
    .returning({ id: apiClients.id });
  if (c.staffId)
    await db.transaction((tx) =>
      appendAudit(tx, {
        operatorId: c.operatorId,
        actorKind: 'staff',
        actorId: c.staffId as string,
        action: 'api_client.create',
        targetKind: 'api_client',
        targetId: (created as { id: string }).id,
        data: { name: c.name, scopes: c.scopes },
      }),
    );
  return { clientId, secret };
}

/** The active client these credentials belong to, or null; the work is the same either way. */
export async function clientByCredentials(db: Db, clientId: string, secret: string): Promise<ApiClient | null> {
  const [client] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.clientId, clientId), eq(apiClients.active, true), isNull(apiClients.revokedAt)));
  const matches = await verify(client?.secretHash ?? (await DECOY), secret).catch(() => false);
  return client && matches ? client : null;
}

/** The client was given a token: when it was last seen, for the administrators' list. */
export async function noteClientUsed(db: Db, clientId: string, now: Date): Promise<void> {
  await db.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.id, clientId));
}

export type ClientUsage = {
  id: string;
  name: string;
  clientId: string;
  scopes: string[];
  active: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Calls by month ("2026-11") and endpoint, newest month first. */
  months: { month: string; endpoint: string; calls: number }[];
};

/** The operator's API clients with their calls per month and endpoint, for the admin page and billing. */
export async function clientsWithUsage(db: Db, operatorId: string): Promise<ClientUsage[]> {
  const clients = await db
    .select()
    .from(apiClients)
    .where(eq(apiClients.operatorId, operatorId))
    .orderBy(asc(apiClients.name), asc(apiClients.createdAt));
  const month = sql<string>`to_char(${apiUsage.day}, 'YYYY-MM')`;
  const usage = await db
    .select({
      clientId: apiUsage.clientId,
      month,
      endpoint: apiUsage.endpoint,
      calls: sql<string>`sum(${apiUsage.calls})`,
    })
    .from(apiUsage)
    .where(eq(apiUsage.operatorId, operatorId))
    .groupBy(apiUsage.clientId, month, apiUsage.endpoint)
    .orderBy(desc(month), asc(apiUsage.endpoint));
  return clients.map((c) => ({
    id: c.id,
    name: c.name,
    clientId: c.clientId,
    scopes: c.scopes,
    active: c.active && c.revokedAt === null,
    createdAt: c.createdAt,
    lastUsedAt: c.lastUsedAt,
    months: usage
      .filter((u) => u.clientId === c.id)
      .map((u) => ({ month: u.month, endpoint: u.endpoint, calls: Number(u.calls) })),
  }));
}

/** Stops a client from obtaining tokens; those it holds end within their five minutes. Audited. */
export async function revokeApiClient(db: Db, operatorId: string, staffId: string, id: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiClients)
      .set({ active: false, revokedAt: now })
      .where(and(eq(apiClients.operatorId, operatorId), eq(apiClients.id, id), isNull(apiClients.revokedAt)))
      .returning({ id: apiClients.id, name: apiClients.name });
    if (revoked)
      await appendAudit(
        tx,
        {
          operatorId,
          actorKind: 'staff',
          actorId: staffId,
          action: 'api_client.revoke',
          targetKind: 'api_client',
          targetId: revoked.id,
          data: { name: revoked.name },
        },
        now,
      );
    return revoked !== undefined;
  });
}
