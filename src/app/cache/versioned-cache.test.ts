import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.ts';

describe('a cache of versioned values', () => {
  it('reads each entry once per version of its key', async () => {
    const cache = new VersionedCache<number>(10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('account', 1, 'overview', load)).toBe(1);
    expect(await cache.get('account', 1, 'overview', load)).toBe(1);
    expect(await cache.get('account', 1, 'request', load)).toBe(2);
    expect(await cache.get('account', 2, 'overview', load)).toBe(3);
    expect(await cache.get('account', 2, 'request', load)).toBe(4);
  });

  it('never lets an older version replace a newer one, and keeps only so many keys', async () => {
    const cache = new VersionedCache<string>(2);
    await cache.get('a', 5, 'x', async () => 'five');
    expect(await cache.get('a', 4, 'x', async () => 'four')).toBe('four');
    expect(await cache.get('a', 5, 'x', async () => 'again')).toBe('five');
    await cache.get('b', 1, 'x', async () => 'b');
    await cache.get('c', 1, 'x', async () => 'c');
    expect(await cache.get('a', 5, 'x', async () => 'reloaded')).toBe('reloaded');
  });
});
