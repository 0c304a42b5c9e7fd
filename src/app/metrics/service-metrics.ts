import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../db/client.ts';
import type { Provisioning } from '../../integrations/provisioning/provisioning.ts';
import { outboxFigures, requestFigures, signInFailures } from './operational-figures.ts';

/**
 * simdesk's Prometheus metrics: HTTP latency by route, the outbox per lane, dead letters, the
 * network's provisioning calls, sign-in failures and requests by status. Each instance has its
 * own registry (tests build several apps in one process); `simdesk serve` shares one between the
 * web app and the outbox worker.
 */
export function serviceMetrics(database: Database) {
  const registry = new Registry();
  const http = new Histogram({
    name: 'simdesk_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const provisioningCalls = new Counter({
    name: 'simdesk_provisioning_calls_total',
    help: "Calls to the network's provisioning system by operation and outcome",
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const lanes = () => outboxFigures(database);
  new Gauge({
    name: 'simdesk_outbox_pending',
    help: 'Outbox messages waiting, per lane',
    labelNames: ['lane'],
    registers: [registry],
    async collect() {
      for (const f of await lanes()) this.set({ lane: f.lane }, f.pending);
    },
  });
  new Gauge({
    name: 'simdesk_outbox_oldest_pending_seconds',
    help: 'How long the oldest waiting message of each lane has waited',
    labelNames: ['lane'],
    registers: [registry],
    async collect() {
      for (const f of await lanes()) this.set({ lane: f.lane }, f.oldestSeconds);
    },
  });
  new Gauge({
    name: 'simdesk_outbox_dead',
    help: 'Outbox messages given up (dead letters), per lane',
    labelNames: ['lane'],
    registers: [registry],
    async collect() {
      for (const f of await lanes()) this.set({ lane: f.lane }, f.dead);
    },
  });
  new Gauge({
    name: 'simdesk_replacement_requests',
    help: 'Replacement requests by operator and status',
    labelNames: ['operator', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const f of await requestFigures(database)) this.set({ operator: f.operator, status: f.status }, f.count);
    },
  });
  new Gauge({
    name: 'simdesk_sign_in_failures_5m',
    help: 'Failed sign-ins in the last five minutes, by subscribers and staff',
    labelNames: ['subject'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const f of await signInFailures(database)) this.set({ subject: f.subject }, f.count);
    },
  });
  const { replica } = database;
  if (replica) {
    new Gauge({
      name: 'simdesk_read_replica_lag_seconds',
      help: "How far the read replica's replay is behind the primary (-1: the replica does not answer)",
      registers: [registry],
      async collect() {
        this.set((await replica.lagSeconds()) ?? -1);
      },
    });
    new Counter({
      name: 'simdesk_read_replica_fallbacks_total',
      help: 'Reads the replica could not answer, answered by the primary',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(replica.fallbacks);
      },
    });
  }

  return {
    registry,
    http,
    /** The provisioning system with each call counted by operation and outcome. */
    counting(provisioning: Provisioning): Provisioning {
      const count =
        <A>(operation: string, call: (a: A) => Promise<void>) =>
        async (a: A) => {
          try {
            await call(a);
            provisioningCalls.inc({ operation, outcome: 'done' });
          } catch (error) {
            provisioningCalls.inc({ operation, outcome: 'failed' });
            throw error;
          }
        };
      return {
        suspendLine: count('suspend', (a) => provisioning.suspendLine(a)),
        resumeLine: count('resume', (a) => provisioning.resumeLine(a)),
        swapSim: count('swap', (a) => provisioning.swapSim(a)),
      };
    },
  };
}

export type ServiceMetrics = ReturnType<typeof serviceMetrics>;
