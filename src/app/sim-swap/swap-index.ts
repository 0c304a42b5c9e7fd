import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { NumberTable, type NumberTableBuilder } from './number-table.ts';

/** The channel the sim_changes triggers notify (migration 0017). */
export const SIM_CHANGES = 'simdesk_sim_changes';
/** In the changes noted since the build: the number has no history any more. */
const NONE = -1;
/** How long a check waits for its barrier before it asks the database instead. */
const BARRIER_MS = 1_000;
/** Every number's latest change, streamed in the order the (msisdn, changed_at) index gives. */
const LATEST_CHANGES = `COPY (
  select operator_id, msisdn, (extract(epoch from max(changed_at)) * 1000)::bigint from sim_changes
   group by msisdn, operator_id order by msisdn, operator_id
) TO STDOUT`;

/**
 * The latest SIM change of every number with history, in memory, so the SIM Swap API answers
 * without a database call. Kept fresh by the database: a swap made in simdesk notifies its number
 * and time, taken in at once on every instance; a bulk import or a deletion rebuilds the index in
 * the background while the old one answers. On PostgreSQL the notification reaches other
 * instances after the commit, so before the index answers "not swapped" there it sends itself a
 * barrier (see `current`). While its notification connection is down it answers nothing at all,
 * until a rebuild after the reconnection has caught up.
 * The history is held per operator in a compact sorted table (number-table.ts), and the changes
 * noted since it was built in a small map beside it.
 */
export class SwapIndex {
  /** Per operator, every number's latest change as of the last build. */
  private tables = new Map<string, NumberTable>();
  /** Per operator, the changes noted since that build (epoch milliseconds, or NONE). */
  private recent = new Map<string, Map<string, number>>();
  private ready = false;
  private closed = false;
  private rebuilding: Promise<void> | null = null;
  private rebuildAgain = false;
  /** Numbers notified while a rebuild runs ("operator msisdn"), re-read once the new index is in place. */
  private notedDuringRebuild = new Set<string>();
  private stopListening: () => Promise<void> = async () => {};
  /** This instance's own channel: only its notification connection listens there. */
  private readonly barrierChannel = `simdesk_swap_barrier_${randomUUID().replaceAll('-', '')}`;
  private barriers = 0;
  private readonly waiting = new Map<string, (passed: boolean) => void>();
  private flight: Promise<boolean> | null = null;
  private next: Promise<boolean> | null = null;

  private constructor(private readonly database: Database) {}

  static async start(database: Database): Promise<SwapIndex> {
    const index = new SwapIndex(database);
    const changes = await database.listen(SIM_CHANGES, (payload) => index.changed(payload));
    const barriers = await database.listen(index.barrierChannel, (payload) => index.passed(payload));
    index.stopListening = async () => {
      await changes();
      await barriers();
    };
    void index.rebuild();
    return index;
  }

  /** The latest change of a number the index holds; undefined when the database must be asked. */
  latestChange(operatorId: string, msisdn: string): Date | undefined {
    if (!this.ready) return undefined;
    const at = this.latestOf(operatorId, msisdn);
    return at === undefined ? undefined : new Date(at);
  }

  /** Numbers held and the bytes their tables take (the benchmark prints bytes per number). */
  get footprint(): { numbers: number; bytes: number } {
    let numbers = 0;
    let bytes = 0;
    for (const table of this.tables.values()) {
      numbers += table.size;
      bytes += table.bytes;
    }
    return { numbers, bytes };
  }

  /** Resolves when no rebuild is running (tests and benchmarks wait for it). */
  async settled(): Promise<void> {
    while (this.rebuilding) await this.rebuilding;
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.stopListening();
    await this.settled();
  }

  private latestOf(operatorId: string, msisdn: string): number | undefined {
    const noted = this.recent.get(operatorId)?.get(msisdn);
    if (noted !== undefined) return noted === NONE ? undefined : noted;
    return this.tables.get(operatorId)?.get(msisdn);
  }

  private note(operatorId: string, msisdn: string, at: number) {
    let numbers = this.recent.get(operatorId);
    if (!numbers) {
      numbers = new Map();
      this.recent.set(operatorId, numbers);
    }
    numbers.set(msisdn, at);
  }

  private changed(payload: string | null) {
    if (this.closed) return;
    if (!payload) {
      this.ready = false;
      void this.rebuild();
      return;
    }
    const [operatorId, msisdn, at] = payload.split(' ');
    if (!operatorId || !msisdn) return;
    if (this.rebuilding) this.notedDuringRebuild.add(`${operatorId} ${msisdn}`);
    const changedAt = Number(at);
    if (Number.isSafeInteger(changedAt)) {
      // Taken in at once, in the notification's own turn: on PGlite before the swap's commit returns.
      this.note(operatorId, msisdn, Math.max(this.latestOf(operatorId, msisdn) ?? 0, changedAt));
    } else void this.reread(operatorId, msisdn).catch(() => this.rebuild());
  }

  /**
   * Whether the index holds every change committed before this call, so it may answer "not
   * swapped" too. On embedded PGlite (one process) a swap is noted before its commit returns. On
   * PostgreSQL the index sends a notification to its own channel and waits for it: the server
   * delivers notifications in commit order, so once it is back every swap committed before the
   * call has been noted. Checks arriving meanwhile share the next barrier.
   */
  async current(): Promise<boolean> {
    if (!this.ready) return false;
    if (this.database.kind === 'pglite') return true;
    return (await this.caughtUp()) && this.ready;
  }

  private caughtUp(): Promise<boolean> {
    if (!this.flight) return this.fly();
    // The barrier in flight may have been sent before this call: only the next one proves anything.
    this.next ??= this.flight.then(() => {
      this.next = null;
      return this.fly();
    });
    return this.next;
  }

  private fly(): Promise<boolean> {
    const flight = this.barrier();
    this.flight = flight;
    void flight.then(() => {
      if (this.flight === flight) this.flight = null;
    });
    return flight;
  }

  private barrier(): Promise<boolean> {
    const token = String(++this.barriers);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), BARRIER_MS);
      const done = (passed: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(token);
        resolve(passed);
      };
      this.waiting.set(token, done);
      this.database.raw.query('select pg_notify($1, $2)', [this.barrierChannel, token]).catch(() => done(false));
    });
  }

  /** A barrier came back; a lost connection fails every barrier in flight. */
  private passed(payload: string | null) {
    if (payload === null) for (const done of [...this.waiting.values()]) done(false);
    else this.waiting.get(payload)?.(true);
  }

  private async reread(operatorId: string, msisdn: string) {
    const [row] = await this.database.raw.query<{ at: Date | string | null }>(
      'select max(changed_at) as at from sim_changes where operator_id = $1 and msisdn = $2',
      [operatorId, msisdn],
    );
    this.note(operatorId, msisdn, row?.at ? new Date(row.at).getTime() : NONE);
  }

  private rebuild(): Promise<void> {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      do {
        this.rebuildAgain = false;
        const fresh = await this.load();
        if (this.closed || !fresh) return;
        const noted = [...this.notedDuringRebuild];
        this.notedDuringRebuild.clear();
        // What was noted while the build read the history may be missing from it: kept, then re-read.
        const kept = this.recent;
        this.recent = new Map();
        for (const entry of noted) {
          const [operatorId = '', msisdn = ''] = entry.split(' ');
          const at = kept.get(operatorId)?.get(msisdn);
          if (at !== undefined) this.note(operatorId, msisdn, at);
        }
        this.tables = fresh;
        this.ready = true;
        for (const entry of noted) {
          const [operatorId = '', msisdn = ''] = entry.split(' ');
          await this.reread(operatorId, msisdn);
        }
      } while (this.rebuildAgain && !this.closed);
    })()
      .catch(() => {
        this.ready = false;
      })
      .finally(() => {
        this.rebuilding = null;
      });
    return this.rebuilding;
  }

  /** Every number's latest change, streamed in one COPY and laid into a table per operator. */
  private async load(): Promise<Map<string, NumberTable> | null> {
    const builders = new Map<string, NumberTableBuilder>();
    let rest = '';
    const take = (line: string) => {
      const [operatorId = '', msisdn = '', at = ''] = line.split('\t');
      let builder = builders.get(operatorId);
      if (!builder) {
        builder = NumberTable.builder();
        builders.set(operatorId, builder);
      }
      builder.add(msisdn, Number(at));
    };
    for await (const chunk of this.database.copyOut(LATEST_CHANGES)) {
      if (this.closed) return null;
      const text = rest + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) take(line);
    }
    if (rest) take(rest);
    return new Map([...builders].map(([operatorId, builder]) => [operatorId, builder.build()]));
  }
}
