import { setTimeout as sleep } from 'node:timers/promises';

export type SimulatedNetwork = {
  /** Latency of each call, in ms (uniform between the two). */
  latencyMs?: [number, number];
  /** Share of calls that fail as if the other side were down (0–1). */
  failureRate?: number;
  random?: () => number;
};

/** What a call across the internet costs a simulator: some latency, and now and then an outage. */
export async function crossNetwork(network: SimulatedNetwork, outage: () => Error): Promise<void> {
  const { latencyMs = [0, 0], failureRate = 0, random = Math.random } = network;
  const wait = latencyMs[0] + random() * (latencyMs[1] - latencyMs[0]);
  if (wait > 0) await sleep(wait);
  if (random() < failureRate) throw outage();
}
