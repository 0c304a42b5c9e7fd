import { describe, expect, it } from 'vitest';
import { NotifiedCache } from './notified-cache.ts';

describe('a cache dropped by change notifications', () => {
  it('loads once, then answers from memory until the key is reported changed', async () => {
    const cache = new NotifiedCache<number>({ max: 10, maxAgeMs: 60_000 });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', 'x', load)).toBe(1);
    expect(await cache.get('a', 'x', load)).toBe(1);
    expect(await cache.get('a', 'y', load)).toBe(2);
    cache.forget('a');
    expect(await cache.get('a', 'x', load)).toBe(3);
    expect(await cache.get('a', 'y', load)).toBe(4);
  });

  it('does not keep a value read while a change was reported', async () => {
    const cache = new NotifiedCache<string>({ max: 10, maxAgeMs: 60_000 });
    const stale = await cache.get('a', 'x', async () => {
      cache.forget('a');
      return 'before the change';
    });
    expect(stale).toBe('before the change');
    expect(await cache.get('a', 'x', async () => 'after')).toBe('after');
  });

  it('trusts a value only so long, keeps only so many keys, and forgets everything on request', async () => {
    let now = 0;
    const cache = new NotifiedCache<number>({ max: 2, maxAgeMs: 1_000, now: () => now });
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('a', 'x', load);
    now = 999;
    expect(await cache.get('a', 'x', load)).toBe(1);
    now = 1_000;
    expect(await cache.get('a', 'x', load)).toBe(2);
    await cache.get('b', 'x', load);
    await cache.get('c', 'x', load);
    expect(await cache.get('a', 'x', load)).toBe(5);
    cache.forget(null);
    expect(await cache.get('b', 'x', load)).toBe(6);
  });
});
