import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { NotifiedCache } from '../../app/cache/notified-cache.ts';
import {
  listOperators,
  loadOperatorProfile,
  OPERATOR_CHANGES,
  type Operator,
  type OperatorProfile,
} from '../../app/operators/operator-profile.ts';
import type { Database } from '../../db/client.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The brand this request is for, chosen by host name. */
    operator: Operator;
  }
  interface FastifyInstance {
    operatorProfile(operator: Operator): Promise<OperatorProfile>;
  }
}

export type OperatorOptions = { database: Database; defaultOperator: string | undefined; maxAgeMs?: number };

/**
 * Resolves the operator from the Host header (operators list their host names), falling back
 * to DEFAULT_OPERATOR and then the first operator. The operators and their profiles (fees,
 * zones, centers) are kept in memory: the database notifies every instance when one changes, so
 * a change takes effect at once; `maxAgeMs` bounds how long a copy is trusted even so.
 */
/** No operator exists yet: every page says so (503) until `simdesk operator create` makes the first. */
export class NotSetUp extends Error {
  readonly statusCode = 503;
  constructor() {
    super('No operator exists yet: create the first with `simdesk operator create` (docs/deployment.md).');
  }
}

/** Paths that serve no operator's site: probes must answer even before an operator exists. */
const OPERATOR_FREE = ['/healthz', '/readyz', '/metrics', '/assets/'];

async function operatorPlugin(app: FastifyInstance, options: OperatorOptions) {
  const { db } = options.database;
  const limits = { max: 1_000, maxAgeMs: options.maxAgeMs ?? 300_000 };
  const list = new NotifiedCache<Operator[]>(limits);
  const profiles = new NotifiedCache<OperatorProfile>(limits);
  const stop = await options.database.listen(OPERATOR_CHANGES, (operatorId) => {
    list.forget(null);
    profiles.forget(operatorId);
  });
  app.addHook('onClose', stop);
  const currentOperators = () => list.get('all', 'list', () => listOperators(db));

  app.decorateRequest('operator', null as unknown as Operator);
  app.decorate('operatorProfile', (operator: Operator) =>
    profiles.get(operator.id, 'profile', () => loadOperatorProfile(db, operator)),
  );

  app.addHook('onRequest', async (request) => {
    if (OPERATOR_FREE.some((prefix) => request.url.startsWith(prefix))) return;
    const list = await currentOperators();
    const host = request.hostname.replace(/:\d+$/, '').toLowerCase();
    const operator =
      list.find((o) => o.hostnames.includes(host)) ?? list.find((o) => o.slug === options.defaultOperator) ?? list[0];
    if (!operator) throw new NotSetUp();
    request.operator = operator;
  });
}

export const operatorResolver = fp(operatorPlugin, { name: 'operator' });
