import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiClient } from '../../src/app/api/api-clients.ts';
import { rateLimiter } from '../../src/app/api/rate-limiter.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { askToken } from '../support/api-token.ts';
import { secondInstance } from '../support/db.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/**
 * An API client's calls per minute are one allowance for the whole deployment: N instances allow
 * what one allows (on PostgreSQL each instance has its own pool, so the blocks they take race).
 */
let database: Database;
let other: Database;
beforeAll(async () => {
  database = await seededDatabase();
  other = await secondInstance(database);
});
afterAll(async () => {
  await other.close();
  await database.close();
});

test('four instances taking 200 calls each at once from a limit of 100 allow 100 in all', async () => {
  const more = [await secondInstance(database), await secondInstance(database)];
  try {
    const limiters = [database, other, ...more].map((d) => rateLimiter(d));
    const now = Date.now();
    const takes = await Promise.all(
      Array.from({ length: 800 }, (_, i) =>
        (limiters[i % 4] as ReturnType<typeof rateLimiter>).take('shared', 100, now),
      ),
    );
    const allowed = takes.filter((t) => t.allowed).length;
    console.log(`800 calls over four instances, limit 100: ${allowed} allowed, ${800 - allowed} refused`);
    expect(allowed).toBe(100);
    expect((await (limiters[0] as ReturnType<typeof rateLimiter>).take('shared', 100, now + 60_000)).allowed).toBe(
      true,
    );
  } finally {
    for (const d of more) await d.close();
  }
});

test('through two app instances, a client with 10 calls a minute gets 10, then 429 on either', async () => {
  const [volna] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  const client = await createApiClient(database.db, {
    operatorId: volna?.id ?? '',
    name: 'Bank on two instances',
    scopes: ['sim-swap'],
    ratePerMinute: 10,
  });
  const apps: FastifyInstance[] = [
    await buildApp({ config: testConfig, database, logger: false }),
    await buildApp({ config: testConfig, database: other, logger: false }),
  ];
  try {
    const token = (await askToken(apps[0] as FastifyInstance, client)).json().access_token as string;
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      const answer = await (apps[i % 2] as FastifyInstance).inject({
        method: 'POST',
        url: '/sim-swap/v2/check',
        headers: { host: 'localhost', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ phoneNumber: '+79161110011', maxAge: 24 }),
      });
      statuses.push(answer.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429, 429]);
  } finally {
    for (const app of apps) await app.close();
  }
});
