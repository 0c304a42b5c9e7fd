import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `simdesk serve` as a real process of its own (from the sources, or `bin` of a build), as an operator runs it, so that it can be
 * killed with SIGKILL at any moment and started again on the same database.
 */
export function appProcess(
  env: Record<string, string>,
  bin = new URL('../../bin/simdesk.js', import.meta.url).pathname,
) {
  let child: ChildProcess | null = null;
  let output = '';
  const base = `http://localhost:${env.PORT}`;

  const ready = async (status: number) => {
    for (let i = 0; i < 600; i++) {
      if (child?.exitCode !== null)
        throw new Error(`simdesk serve exited with ${child?.exitCode}:\n${output.slice(-3000)}`);
      const up = await fetch(`${base}/readyz`).then(
        (r) => r.status === status,
        () => false,
      );
      if (up) return;
      await sleep(100);
    }
    throw new Error(`simdesk serve never became ready:\n${output.slice(-3000)}`);
  };

  return {
    base,
    /** Starts it and waits until `/readyz` answers `status` (503 on an installation not set up yet). */
    async start(status = 200) {
      const { DATABASE_URL: _inherited, ...inherited } = process.env;
      child = spawn(process.execPath, [bin, 'serve'], {
        env: { ...inherited, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      await ready(status);
    },
    /** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. */
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
    /** SIGTERM: the server finishes what it holds and closes the database cleanly. */
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGTERM');
      await exited;
    },
    output: () => output,
  };
}
