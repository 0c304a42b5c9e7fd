import type { Database } from '../../db/client.ts';

/** The channel the sim_changes triggers notify (migration 0017). */
export const SIM_CHANGES = 'simdesk_sim_changes';
/** Numbers read per query while the index is built. */
const PAGE = 50_000;

/**
 * The latest SIM change of every number with history, in memory, so the SIM Swap API answers
 * without a database call. Kept fresh by the database: a swap made in simdesk notifies its number
 * and time, taken in at once on every instance; a bulk import or a deletion rebuilds the index in
 * the background while the old one answers. On PostgreSQL the notification reaches other
 * instances after the commit, so the index may lag there but never leads: callers trust only the
 * changes it holds and ask the database for the rest (see `complete`). While its notification
 * connection is down it answers nothing at all, until a rebuild after the reconnection has caught up.
 */
export class SwapIndex {
  /** Per operator, each number's latest change in epoch milliseconds (short keys: a million numbers fit in about 100 MB). */
  private latest = new Map<string, Map<string, number>>();
  private ready = false;
  private closed = false;
  private rebuilding: Promise<void> | null = null;
  private rebuildAgain = false;
  /** Numbers notified while a rebuild runs, re-read once the new index is in place. */
  private notedDuringRebuild = new Set<string>();
  private stopListening: () => Promise<void> = async () => {};

  private constructor(private readonly database: Database) {}

  static async start(database: Database): Promise<SwapIndex> {
    const index = new SwapIndex(database);
    index.stopListening = await database.listen(SIM_CHANGES, (payload) => index.changed(payload));
    void index.rebuild();
    return index;
  }

  /** The latest change of a number the index holds; undefined when the database must be asked. */
  latestChange(operatorId: string, msisdn: string): Date | undefined {
    if (!this.ready) return undefined;
    const at = this.latest.get(operatorId)?.get(msisdn);
    return at === undefined ? undefined : new Date(at);
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

  private changed(payload: string | null) {
    if (this.closed) return;
    if (!payload) {
      this.ready = false;
      void this.rebuild();
      return;
    }
    const [operatorId, msisdn, at] = payload.split(' ');
    if (!operatorId || !msisdn) return;
    if (this.rebuilding) this.notedDuringRebuild.add(payload);
    const changedAt = Number(at);
    if (Number.isSafeInteger(changedAt)) {
      // Taken in at once, in the notification's own turn: on PGlite before the swap's commit returns.
      const numbers = numbersOf(this.latest, operatorId);
      numbers.set(msisdn, Math.max(numbers.get(msisdn) ?? 0, changedAt));
    } else void this.reread(operatorId, msisdn).catch(() => this.rebuild());
  }

  /**
   * Whether the index may answer "not swapped" too: only where notifications reach it before a
   * swap's commit returns (embedded PGlite, one process). On PostgreSQL another instance's swap
   * arrives a moment after its commit, so there the index answers only "swapped".
   */
  get complete(): boolean {
    return this.ready && this.database.kind === 'pglite';
  }

  private async reread(operatorId: string, msisdn: string) {
    const [row] = await this.database.raw.query<{ at: Date | string | null }>(
      'select max(changed_at) as at from sim_changes where operator_id = $1 and msisdn = $2',
      [operatorId, msisdn],
    );
    const numbers = numbersOf(this.latest, operatorId);
    if (row?.at) numbers.set(msisdn, new Date(row.at).getTime());
    else numbers.delete(msisdn);
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
        this.latest = fresh;
        this.ready = true;
        const noted = [...this.notedDuringRebuild];
        this.notedDuringRebuild.clear();
        for (const payload of noted) {
          const [operatorId = '', msisdn = ''] = payload.split(' ');
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

  /** Every number's latest change, a page of numbers at a time along the (msisdn, changed_at) index. */
  private async load(): Promise<Map<string, Map<string, number>> | null> {
    const fresh = new Map<string, Map<string, number>>();
    let after = { msisdn: '', operatorId: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      if (this.closed) return null;
      const rows = await this.database.raw.query<{ operator_id: string; msisdn: string; at: Date | string }>(
        `select operator_id, msisdn, max(changed_at) as at from sim_changes
          where (msisdn, operator_id) > ($1, $2::uuid)
          group by msisdn, operator_id order by msisdn, operator_id limit $3`,
        [after.msisdn, after.operatorId, PAGE],
      );
      for (const r of rows) numbersOf(fresh, r.operator_id).set(r.msisdn, new Date(r.at).getTime());
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return fresh;
      after = { msisdn: last.msisdn, operatorId: last.operator_id };
    }
  }
}

function numbersOf(index: Map<string, Map<string, number>>, operatorId: string): Map<string, number> {
  let numbers = index.get(operatorId);
  if (!numbers) {
    numbers = new Map();
    index.set(operatorId, numbers);
  }
  return numbers;
}
