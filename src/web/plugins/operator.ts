import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  listOperators,
  loadOperatorProfile,
  type Operator,
  type OperatorProfile,
} from '../../app/operators/operator-profile.ts';
import type { Db } from '../../db/client.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The brand this request is for, chosen by host name. */
    operator: Operator;
  }
  interface FastifyInstance {
    operatorProfile(operator: Operator): Promise<OperatorProfile>;
  }
}

export type OperatorOptions = { db: Db; defaultOperator: string | undefined; cacheMs?: number };

/**
 * Resolves the operator from the Host header (operators list their host names), falling back
 * to DEFAULT_OPERATOR and then the first operator. Operator settings change rarely, so they are
 * cached briefly in memory; every instance picks up a change within `cacheMs`.
 */
async function operatorPlugin(app: FastifyInstance, options: OperatorOptions) {
  const cacheMs = options.cacheMs ?? 30_000;
  let operators: { list: Operator[]; at: number } | null = null;
  const profiles = new Map<string, { profile: OperatorProfile; at: number }>();

  const currentOperators = async () => {
    if (!operators || Date.now() - operators.at > cacheMs) {
      operators = { list: await listOperators(options.db), at: Date.now() };
    }
    return operators.list;
  };

  app.decorateRequest('operator', null as unknown as Operator);
  app.decorate('operatorProfile', async (operator: Operator) => {
    const cached = profiles.get(operator.id);
    if (cached && Date.now() - cached.at <= cacheMs) return cached.profile;
    const profile = await loadOperatorProfile(options.db, operator);
    profiles.set(operator.id, { profile, at: Date.now() });
    return profile;
  });

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/healthz') || request.url.startsWith('/assets/')) return;
    const list = await currentOperators();
    const host = request.hostname.replace(/:\d+$/, '').toLowerCase();
    const operator =
      list.find((o) => o.hostnames.includes(host)) ?? list.find((o) => o.slug === options.defaultOperator) ?? list[0];
    if (!operator) throw new Error('No operator is configured: run `simdesk seed` or create one.');
    request.operator = operator;
  });
}

export const operatorResolver = fp(operatorPlugin, { name: 'operator' });
