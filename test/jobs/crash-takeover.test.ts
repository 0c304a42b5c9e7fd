import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { claimKey, holdClaim } from '../../src/app/api/idempotency-keys.ts';
import { LeaseBusy, withLease } from '../../src/app/outbox/leases.ts';
import type { Database } from '../../src/db/client.ts';
import { secondInstance, testDatabase } from '../support/db.ts';

/**
 * What a process holds while it works (a line's network lease, an API call's idempotency key) is
 * renewed while it lives, so it can be short: after a kill the next one takes over in seconds,
 * not after a minute, and a slow but living holder is never overtaken.
 */
let database: Database;
beforeAll(async () => {
  database = await testDatabase('seeded');
});
afterAll(() => database.close());

test('a lease held by working code is renewed past its time to live; a dead holder’s lease is taken over after it', async () => {
  const other = await secondInstance(database);
  const slow = withLease(database.db, 'network:+79990000001', () => sleep(1_500), { ttlMs: 600 });
  await sleep(100);
  await expect(
    withLease(other.db, 'network:+79990000001', async () => 'overtaken', { ttlMs: 600, waitMs: 1_000 }),
  ).rejects.toBeInstanceOf(LeaseBusy);
  await slow;
  await database.raw.query(
    "insert into leases (name, holder, until) values ('network:+79990000002', 'killed', now() + interval '600 milliseconds')",
  );
  const started = Date.now();
  expect(await withLease(other.db, 'network:+79990000002', async () => 'taken over', { ttlMs: 600 })).toBe(
    'taken over',
  );
  expect(Date.now() - started).toBeLessThan(2_000);
  await other.close();
});

test('an idempotency key of a running call is renewed; one left by a killed process is taken over after ten seconds', async () => {
  const [operator] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  const operatorId = operator?.id ?? '';
  const { clientId: publicId } = await createApiClient(database.db, {
    operatorId,
    name: 'crash',
    scopes: ['requests:write'],
  });
  const [client] = await database.raw.query<{ id: string }>('select id from api_clients where client_id = $1', [
    publicId,
  ]);
  const clientId = client?.id ?? '';
  const call = (key: string) => ({
    operatorId,
    clientId,
    key,
    method: 'POST',
    path: '/api/v1/requests',
    body: { n: 1 },
  });
  expect(await claimKey(database.db, call('alive'))).toEqual({ kind: 'new' });
  expect(await claimKey(database.db, call('killed'))).toEqual({ kind: 'new' });
  const claimedAt = async (key: string) =>
    (
      await database.raw.query<{ created_at: Date }>(
        'select created_at from api_idempotency_keys where client_id = $1 and key = $2',
        [clientId, key],
      )
    )[0]?.created_at.getTime();
  const first = await claimedAt('alive');
  const release = holdClaim(database.db, clientId, 'alive');
  for (let i = 0; i < 100 && (await claimedAt('alive')) === first; i++) await sleep(100);
  release();
  expect(await claimedAt('alive')).toBeGreaterThan(first ?? 0);
  const later = new Date(((await claimedAt('alive')) ?? 0) + 8_000);
  expect(await claimKey(database.db, call('alive'), later)).toEqual({ kind: 'in_progress' });
  expect(await claimKey(database.db, call('killed'), later)).toEqual({ kind: 'new', abandoned: true });
});
