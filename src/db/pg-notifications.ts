import pg from 'pg';
import type { ChangeListener } from './client.ts';

const RECONNECT_MS = 1_000;

/**
 * LISTEN on PostgreSQL over one connection of its own (a pooled one would be handed to other
 * queries). When it drops, it reconnects and tells every listener that it may have missed
 * notifications (at the loss, and again once back), so caches built on them are emptied rather
 * than left stale.
 */
export class PgNotifications {
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  async listen(channel: string, listener: ChangeListener): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      const client = await this.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (n) => {
        for (const listener of this.listeners.get(n.channel) ?? []) listener(n.payload ?? '');
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private tellMissed(): void {
    for (const set of this.listeners.values()) for (const listener of set) listener(null);
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.closed) return;
    // Told at once as well as after the reconnection: notifications are being missed from now on.
    this.tellMissed();
    const resync = () => {
      this.connect().then(
        () => this.tellMissed(),
        () => {
          this.retry = setTimeout(resync, RECONNECT_MS);
        },
      );
    };
    this.retry = setTimeout(resync, RECONNECT_MS);
  }
}
