/**
 * Values read from the database and kept in memory until the database says they changed:
 * triggers NOTIFY a key (an account, a session, an operator) after each change commits and every
 * instance listening drops what it holds for that key. `maxAgeMs` bounds how long a value is
 * trusted even so, and `max` how many keys are kept (the least recently used go first).
 *
 * Each key holds any number of entries (an account's overview, each of its requests…), dropped
 * together. A read that overlaps a change is not kept: it may show the state from before it.
 */
export class NotifiedCache<V> {
  private readonly keys = new Map<string, { at: number; entries: Map<string, V> }>();
  private changes = 0;

  constructor(private readonly options: { max: number; maxAgeMs: number; now?: () => number }) {}

  async get(key: string, entry: string, load: () => Promise<V>): Promise<V> {
    const now = this.options.now?.() ?? Date.now();
    const held = this.keys.get(key);
    if (held && now - held.at < this.options.maxAgeMs) {
      const value = held.entries.get(entry);
      if (value !== undefined) return value;
    }
    const seen = this.changes;
    const value = await load();
    if (seen === this.changes && value !== undefined) this.keep(key, entry, value, now);
    return value;
  }

  /** Drops everything held for `key`, or for every key (after notifications may have been missed). */
  forget(key: string | null): void {
    this.changes++;
    if (key === null) this.keys.clear();
    else this.keys.delete(key);
  }

  private keep(key: string, entry: string, value: V, now: number) {
    let held = this.keys.get(key);
    if (!held || now - held.at >= this.options.maxAgeMs) {
      held = { at: now, entries: new Map() };
      this.keys.delete(key);
      this.keys.set(key, held);
      if (this.keys.size > this.options.max) this.keys.delete(this.keys.keys().next().value as string);
    }
    held.entries.set(entry, value);
  }
}
