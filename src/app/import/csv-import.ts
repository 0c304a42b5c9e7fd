import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Database, RawTx } from '../../db/client.ts';
import type { Result } from '../../domain/result.ts';
import { UserError } from '../../errors.ts';

/** A row the import refused, with the file's line number and a reason code. */
export type RejectedRow = { line: number; reason: string };

export type ImportSummary = {
  /** Data rows read (the header excluded). */
  read: number;
  imported: number;
  rejectedCount: number;
  /** The first rejected rows (see `maxReported`). */
  rejected: RejectedRow[];
  /** With all-or-nothing, true when a bad row caused nothing to be imported. */
  rolledBack: boolean;
};

export type Numbered<T> = { line: number; value: T };

/**
 * What one kind of import knows: the header it expects, how a record becomes a row, and how a
 * batch of valid rows is written. `write` returns the rows the database refused (e.g. an ICCID
 * that is already in stock), which are reported like bad rows.
 */
export type ImportSpec<T> = {
  columns: readonly string[];
  required: readonly string[];
  validate(record: Record<string, string>): Result<T, string>;
  /** Rejects rows that clash with earlier rows of the same file (e.g. a repeated ICCID). */
  seen?(row: T): string | null;
  write(tx: RawTx, rows: Numbered<T>[]): Promise<RejectedRow[]>;
};

export type ImportOptions = {
  allOrNothing: boolean;
  batchSize?: number;
  /** Called with the bytes read so far, for a progress bar. */
  onProgress?(bytes: number): void;
  /** Stop collecting rejected rows after this many (the count still grows). */
  maxReported?: number;
};

class AllOrNothingAbort extends Error {}

export class HeaderError extends UserError {
  constructor(readonly missing: string[]) {
    super(`The CSV header is missing columns: ${missing.join(', ')}.`);
  }
}

/**
 * Streams a CSV file through validation into the database in batches. By default each batch
 * commits on its own and bad rows are skipped; with `allOrNothing` everything runs in one
 * transaction that is rolled back if any row is bad.
 */
export async function importCsv<T>(
  database: Database,
  input: Readable,
  spec: ImportSpec<T>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const summary: ImportSummary = { read: 0, imported: 0, rejectedCount: 0, rejected: [], rolledBack: false };
  const maxReported = options.maxReported ?? 1000;
  const reject = (rows: RejectedRow[]) => {
    summary.rejectedCount += rows.length;
    for (const r of rows) if (summary.rejected.length < maxReported) summary.rejected.push(r);
  };
  const batchSize = options.batchSize ?? 20_000;

  const run = async (writeBatch: (rows: Numbered<T>[]) => Promise<void>) => {
    let bytes = 0;
    if (options.onProgress) {
      input.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        options.onProgress?.(bytes);
      });
    }
    const parser = input.pipe(
      // A row with too few or too many fields is that row's error, not the whole file's.
      parse({
        columns: checkHeader(spec),
        bom: true,
        trim: true,
        skip_empty_lines: true,
        info: true,
        relax_column_count: true,
      }),
    );
    let batch: Numbered<T>[] = [];
    // One batch is written while the next is parsed and validated: with PostgreSQL the COPY
    // runs in the server's process, so both cores work.
    let writing: Promise<void> = Promise.resolve();
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number; error?: unknown };
    }>) {
      summary.read++;
      if (info.error) {
        reject([{ line: info.lines, reason: 'import.field_count' }]);
        continue;
      }
      const row = spec.validate(record);
      const clash = row.ok ? (spec.seen?.(row.value) ?? null) : null;
      if (!row.ok) reject([{ line: info.lines, reason: row.error }]);
      else if (clash) reject([{ line: info.lines, reason: clash }]);
      else batch.push({ line: info.lines, value: row.value });
      if (batch.length >= batchSize) {
        await writing;
        writing = writeBatch(batch);
        writing.catch(() => undefined);
        batch = [];
      }
    }
    await writing;
    if (batch.length > 0) await writeBatch(batch);
  };

  const written = (rows: Numbered<T>[], refused: RejectedRow[]) => {
    reject(refused);
    summary.imported += rows.length - refused.length;
  };
  if (options.allOrNothing) {
    try {
      await database.raw.transaction(async (tx) => {
        await run(async (rows) => written(rows, await spec.write(tx, rows)));
        if (summary.rejectedCount > 0) throw new AllOrNothingAbort();
      });
    } catch (e) {
      if (!(e instanceof AllOrNothingAbort)) throw e;
      summary.rolledBack = true;
      summary.imported = 0;
    }
  } else {
    await run(async (rows) => written(rows, await database.raw.transaction((tx) => spec.write(tx, rows))));
  }
  return summary;
}

function checkHeader(spec: ImportSpec<unknown>) {
  return (header: string[]) => {
    const names = header.map((h) => h.trim().toLowerCase());
    const missing = spec.required.filter((c) => !names.includes(c));
    if (missing.length > 0) throw new HeaderError(missing);
    return names.map((n) => (spec.columns.includes(n) ? n : false));
  };
}
