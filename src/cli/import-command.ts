import { createReadStream, statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { type ImportSpec, type ImportSummary, importCsv } from '../app/import/csv-import.ts';
import { inventorySpecFor } from '../app/import/inventory.ts';
import { simChangesSpec } from '../app/import/sim-changes.ts';
import { subscribersSpec } from '../app/import/subscribers.ts';
import { operatorIdBySlug } from '../app/operators/operator-profile.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { UserError } from '../errors.ts';
import { isMessageKey, translator } from '../i18n/translate.ts';
import { openConfiguredDatabase } from './database.ts';
import type { Terminal } from './terminal.ts';

export type ImportKind = 'inventory' | 'subscribers' | 'sim-changes';
export type ImportCommandOptions = { operator: string; allOrNothing: boolean; batchSize: number };

export class CliError extends UserError {}

/** Exit codes: 0 all rows imported, 2 imported with some rows rejected, 1 nothing imported. */
export async function runImport(
  config: Config,
  kind: ImportKind,
  file: string,
  options: ImportCommandOptions,
  term: Terminal,
): Promise<number> {
  const size = statSync(file).size;
  const database = await openConfiguredDatabase(config);
  try {
    const spec = await specFor(database, kind, options.operator, config.documentKey);
    const bar = term.tty
      ? new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} bytes | {duration}s', stream: term.tty })
      : null;
    bar?.start(size, 0);
    const summary = await importCsv(database, createReadStream(file), spec, {
      allOrNothing: options.allOrNothing,
      batchSize: options.batchSize,
      ...(bar ? { onProgress: (bytes: number) => bar.update(bytes) } : {}),
    });
    bar?.update(size);
    bar?.stop();
    report(summary, term);
    if (summary.rolledBack || (summary.imported === 0 && summary.rejectedCount > 0)) return 1;
    return summary.rejectedCount > 0 ? 2 : 0;
  } finally {
    await database.close();
  }
}

async function specFor(
  database: Database,
  kind: ImportKind,
  slug: string,
  documentKey: Buffer,
): Promise<ImportSpec<unknown>> {
  const operatorId = await operatorIdBySlug(database, slug);
  if (!operatorId) throw new CliError(`Unknown operator "${slug}".`);
  if (kind === 'subscribers') return subscribersSpec(operatorId, documentKey) as ImportSpec<unknown>;
  if (kind === 'sim-changes') return simChangesSpec(operatorId) as ImportSpec<unknown>;
  return (await inventorySpecFor(database.db, operatorId)) as ImportSpec<unknown>;
}

function report(summary: ImportSummary, term: Terminal) {
  const t = translator('en');
  for (const r of summary.rejected) {
    term.err(`line ${r.line}: ${isMessageKey(r.reason) ? t(r.reason) : r.reason} (${r.reason})`);
  }
  if (summary.rejectedCount > summary.rejected.length) {
    term.err(`… and ${summary.rejectedCount - summary.rejected.length} more rejected rows`);
  }
  const verdict = summary.rolledBack
    ? `nothing imported: ${summary.rejectedCount} bad rows and --all-or-nothing`
    : `${summary.imported} imported, ${summary.rejectedCount} rejected`;
  term.out(`${summary.read} rows read; ${verdict}.`);
}
