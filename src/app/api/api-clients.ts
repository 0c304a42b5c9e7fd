import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ApiScope, apiClients } from '../../db/schema/api.ts';

export type ApiClient = typeof apiClients.$inferSelect;

/** Compared against when the client id is unknown, so a wrong id costs what a wrong secret does. */
const DECOY = hash('simdesk-decoy-secret');

/**
 * Registers an API client of an operator: a public client id and a secret shown this once; only
 * the secret's argon2id hash is kept.
 */
export async function createApiClient(
  db: Db,
  c: { operatorId: string; name: string; scopes: ApiScope[]; staffId?: string },
): Promise<{ clientId: string; secret: string }> {
  const clientId = `sd_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  await db.insert(apiClients).values({
    operatorId: c.operatorId,
    name: c.name,
    clientId,
    secretHash: await hash(secret),
    scopes: [...new Set(c.scopes)],
    createdByStaffId: c.staffId ?? null,
  });
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
