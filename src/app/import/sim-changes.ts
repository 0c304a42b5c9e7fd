import { randomUUID } from 'node:crypto';
import type { RawTx } from '../../db/client.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { parsePastInstant } from '../../domain/past-instant.ts';
import { err, ok } from '../../domain/result.ts';
import type { ImportSpec, Numbered } from './csv-import.ts';
import { csvLine } from './csv-line.ts';

export type SimChangeRow = { msisdn: string; changedAt: Date };

const COPY_SQL = 'COPY sim_changes (id, operator_id, msisdn, changed_at, source) FROM STDIN WITH (FORMAT csv)';

/**
 * SIM changes made before simdesk, from the operator's billing or HLR records:
 * `msisdn,changed_at` (RFC 3339 with a time zone). They join the history the SIM Swap API answers
 * from; a number need not be a line in simdesk. Rows go in with COPY.
 */
export function simChangesSpec(operatorId: string, now = new Date()): ImportSpec<SimChangeRow> {
  return {
    columns: ['msisdn', 'changed_at'],
    required: ['msisdn', 'changed_at'],
    validate(r) {
      const msisdn = parseMsisdn(r.msisdn ?? '');
      if (!msisdn.ok) return msisdn;
      const changedAt = parsePastInstant(r.changed_at ?? '', now);
      if (!changedAt) return err('simChanges.changed_at');
      return ok({ msisdn: msisdn.value, changedAt });
    },
    seen: () => null,
    async write(tx, rows) {
      await copy(tx, operatorId, rows);
      return [];
    },
  };
}

function copy(tx: RawTx, operatorId: string, rows: Numbered<SimChangeRow>[]) {
  if (rows.length === 0) return Promise.resolve();
  let csv = '';
  for (const { value: r } of rows)
    csv += csvLine([randomUUID(), operatorId, r.msisdn, r.changedAt.toISOString(), 'import']);
  return tx.copyCsv(COPY_SQL, csv);
}
