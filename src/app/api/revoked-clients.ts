import { eq, isNotNull, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { apiClients } from '../../db/schema/api.ts';

/** Notified by the database when a client is revoked or switched off or on (migration 0028). */
export const API_CLIENT_CHANGES = 'simdesk_api_clients';

/**
 * The API clients that may no longer call, held in memory on every instance and reloaded when
 * the database announces a change, so a revoked client's tokens stop at once while checking a
 * token still costs no database round trip.
 */
export class RevokedClients {
  private ids = new Set<string>();
  private stopListening: (() => Promise<void>) | null = null;
  private retry: NodeJS.Timeout | null = null;

  private constructor(private readonly database: Database) {}

  static async start(database: Database): Promise<RevokedClients> {
    const revoked = new RevokedClients(database);
    await revoked.load();
    revoked.stopListening = await database.listen(API_CLIENT_CHANGES, () => revoked.reload());
    return revoked;
  }

  has(clientId: string): boolean {
    return this.ids.has(clientId);
  }

  async stop(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    await this.stopListening?.();
  }

  /**
   * Reloads after a change; while the database cannot be reached (a failover, a restart) the
   * last list is kept and the load tried again every second until it succeeds.
   */
  private reload(): void {
    if (this.retry) return;
    this.load().catch(() => {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.reload();
      }, 1_000);
      this.retry.unref();
    });
  }

  private async load(): Promise<void> {
    const rows = await this.database.db
      .select({ id: apiClients.id })
      .from(apiClients)
      .where(or(isNotNull(apiClients.revokedAt), eq(apiClients.active, false)));
    this.ids = new Set(rows.map((r) => r.id));
  }
}
