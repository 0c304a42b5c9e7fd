/**
 * Values kept in memory per key for one version of that key, as the database counts versions
 * (see accounts.views_version): asked with a newer version, a key's values are read afresh.
 * A value read after its version was is at least as new as that version, so nothing stale is
 * ever served. `max` keys are kept, the least recently used going first.
 */
export class VersionedCache<V> {
  private readonly keys = new Map<string, { version: number; entries: Map<string, V> }>();

  constructor(private readonly max: number) {}

  async get(key: string, version: number, entry: string, load: () => Promise<V>): Promise<V> {
    const held = this.keys.get(key);
    if (held?.version === version && held.entries.has(entry)) {
      this.keys.delete(key);
      this.keys.set(key, held);
      return held.entries.get(entry) as V;
    }
    const value = await load();
    this.keep(key, version, entry, value);
    return value;
  }

  private keep(key: string, version: number, entry: string, value: V) {
    let held = this.keys.get(key);
    if (held && held.version > version) return;
    if (held?.version !== version) {
      held = { version, entries: new Map() };
      this.keys.delete(key);
      this.keys.set(key, held);
      if (this.keys.size > this.max) this.keys.delete(this.keys.keys().next().value as string);
    }
    held.entries.set(entry, value);
  }
}
