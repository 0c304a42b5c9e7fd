/**
 * Every number's latest SIM change in 16 bytes: the E.164 digits as a float64 key (15 digits fit
 * exactly), sorted, beside the change's epoch milliseconds, looked up by binary search. A Map of
 * strings would take 100 bytes or more per number; a national operator has tens of millions.
 */
export class NumberTable {
  private constructor(
    private readonly keys: Float64Array,
    private readonly times: Float64Array,
  ) {}

  static readonly empty = new NumberTable(new Float64Array(0), new Float64Array(0));

  get size(): number {
    return this.keys.length;
  }

  get bytes(): number {
    return this.keys.byteLength + this.times.byteLength;
  }

  /** The number's latest change in epoch milliseconds, or undefined when it has none here. */
  get(msisdn: string): number | undefined {
    const key = numberKey(msisdn);
    if (key === undefined) return undefined;
    let low = 0;
    let high = this.keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.keys[middle] as number;
      if (at === key) return this.times[middle];
      if (at < key) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  static builder(): NumberTableBuilder {
    return new NumberTableBuilder();
  }

  /** A table over keys in ascending order; a key that comes twice keeps its latest change once. */
  static fromSorted(keys: Float64Array, times: Float64Array): NumberTable {
    let out = 0;
    for (let i = 0; i < keys.length; i++) {
      if (out > 0 && keys[out - 1] === keys[i]) {
        times[out - 1] = Math.max(times[out - 1] as number, times[i] as number);
        continue;
      }
      keys[out] = keys[i] as number;
      times[out] = times[i] as number;
      out++;
    }
    return out === keys.length
      ? new NumberTable(keys, times)
      : new NumberTable(keys.slice(0, out), times.slice(0, out));
  }
}

/** The digits of an E.164 number as a number; undefined for anything else. */
export function numberKey(msisdn: string): number | undefined {
  return /^\+[1-9]\d{0,14}$/.test(msisdn) ? Number(msisdn.slice(1)) : undefined;
}

/** A growing pair of typed arrays, doubling as it fills. */
class Column {
  keys = new Float64Array(1024);
  times = new Float64Array(1024);
  length = 0;
  sorted = true;

  push(key: number, at: number) {
    if (this.length === this.keys.length) {
      this.keys = grown(this.keys);
      this.times = grown(this.times);
    }
    const last = this.length - 1;
    if (last >= 0) {
      const previous = this.keys[last] as number;
      if (previous === key) {
        this.times[last] = Math.max(this.times[last] as number, at);
        return;
      }
      if (previous > key) this.sorted = false;
    }
    this.keys[this.length] = key;
    this.times[this.length] = at;
    this.length++;
  }
}

function grown(array: Float64Array): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Takes numbers in the database's text order (`order by msisdn`), where a shorter number can sort
 * after a longer one: one column per length keeps each in numeric order, and the columns are laid
 * end to end from the shortest. Numbers that come in another order are sorted at the end.
 */
export class NumberTableBuilder {
  private readonly byLength: Column[] = [];

  add(msisdn: string, at: number): void {
    const key = numberKey(msisdn);
    if (key === undefined || !Number.isFinite(at)) return;
    const length = msisdn.length;
    this.byLength[length] ??= new Column();
    this.byLength[length].push(key, at);
  }

  build(): NumberTable {
    const columns = this.byLength.filter((c): c is Column => c !== undefined);
    const total = columns.reduce((sum, c) => sum + c.length, 0);
    if (total === 0) return NumberTable.empty;
    const keys = new Float64Array(total);
    const times = new Float64Array(total);
    let offset = 0;
    for (const column of columns) {
      if (!column.sorted) sortColumn(column);
      keys.set(column.keys.subarray(0, column.length), offset);
      times.set(column.times.subarray(0, column.length), offset);
      offset += column.length;
    }
    this.byLength.length = 0;
    return NumberTable.fromSorted(keys, times);
  }
}

function sortColumn(column: Column) {
  const order = Array.from({ length: column.length }, (_, i) => i).sort(
    (a, b) => (column.keys[a] as number) - (column.keys[b] as number),
  );
  column.keys = Float64Array.from(order, (i) => column.keys[i] as number);
  column.times = Float64Array.from(order, (i) => column.times[i] as number);
}
