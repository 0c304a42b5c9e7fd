import { setTimeout as sleep } from 'node:timers/promises';
import { type Provisioning, ProvisioningError } from './provisioning.ts';

export type SimulatorOptions = {
  /** Each call takes a random time up to this long, like a real BSS round trip. */
  maxLatencyMs?: number;
  /** Share of calls that fail with a retryable error (0–1), as a busy HLR does. */
  failureRate?: number;
  /**
   * Share of calls whose answer never comes (0–1): the HLR applies the change, the caller waits
   * `timeoutMs` and gives up, so only the idempotency key of its retry keeps it from applying twice.
   */
  timeoutRate?: number;
  timeoutMs?: number;
  random?: () => number;
};

export type SimulatedLine = { status: 'active' | 'suspended'; imsi: string | null; iccid: string | null };

/**
 * An in-memory HLR/HSS standing in for the operator's network: it keeps each number's state,
 * answers after some latency, fails some calls, and honours idempotency keys (a repeated key
 * returns the first outcome without applying the change again).
 */
export class ProvisioningSimulator implements Provisioning {
  readonly lines = new Map<string, SimulatedLine>();
  /** Calls that changed something, in order; a replayed key adds nothing. */
  readonly applied: { op: string; msisdn: string; idempotencyKey: string }[] = [];
  private readonly seen = new Set<string>();
  private options: Required<SimulatorOptions>;

  constructor(options: SimulatorOptions = {}) {
    this.options = {
      maxLatencyMs: 0,
      failureRate: 0,
      timeoutRate: 0,
      timeoutMs: 10_000,
      random: Math.random,
      ...options,
    };
  }

  /** Changes how the network behaves from now on: an outage starting, or ending. */
  configure(options: SimulatorOptions): void {
    this.options = { ...this.options, ...options };
  }

  suspendLine({ msisdn, idempotencyKey }: { msisdn: string; idempotencyKey: string }) {
    return this.call('suspend', msisdn, idempotencyKey, (line) => {
      line.status = 'suspended';
    });
  }

  resumeLine({ msisdn, idempotencyKey }: { msisdn: string; idempotencyKey: string }) {
    return this.call('resume', msisdn, idempotencyKey, (line) => {
      line.status = 'active';
    });
  }

  swapSim(call: { msisdn: string; newIccid: string; newImsi: string; idempotencyKey: string }) {
    return this.call('swap', call.msisdn, call.idempotencyKey, (line) => {
      line.iccid = call.newIccid;
      line.imsi = call.newImsi;
      line.status = 'active';
    });
  }

  private async call(op: string, msisdn: string, idempotencyKey: string, apply: (line: SimulatedLine) => void) {
    const { maxLatencyMs, failureRate, timeoutRate, timeoutMs, random } = this.options;
    if (maxLatencyMs > 0) await sleep(Math.round(random() * maxLatencyMs));
    if (this.seen.has(idempotencyKey)) return;
    if (random() < failureRate) throw new ProvisioningError(`simulated HLR timeout on ${op}`, true);
    if (!/^\+[1-9]\d{6,14}$/.test(msisdn)) throw new ProvisioningError(`unknown subscriber ${msisdn}`, false);
    const line = this.lines.get(msisdn) ?? { status: 'active', imsi: null, iccid: null };
    apply(line);
    this.lines.set(msisdn, line);
    this.seen.add(idempotencyKey);
    this.applied.push({ op, msisdn, idempotencyKey });
    if (random() < timeoutRate) {
      await sleep(timeoutMs);
      throw new ProvisioningError(`simulated HLR timeout after ${timeoutMs} ms on ${op} (the answer was lost)`, true);
    }
  }
}
