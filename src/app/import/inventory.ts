import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { Database, Db, RawTx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { parseIccid } from '../../domain/iccid.ts';
import { parseImsi } from '../../domain/imsi.ts';
import { FORM_FACTORS, type FormFactor } from '../../domain/replacement.ts';
import { err, ok } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { hasRole, type StaffActor, StaffForbidden } from '../requests/staff-step.ts';
import {
  type ImportOptions,
  type ImportSpec,
  type ImportSummary,
  importCsv,
  type Numbered,
  type RejectedRow,
} from './csv-import.ts';
import { csvLine } from './csv-line.ts';

export type InventoryRow = {
  iccid: string;
  imsi: string;
  formFactor: FormFactor;
  esimMatchingId: string | null;
  batch: string | null;
  centerId: string | null;
};

export type InventoryContext = {
  operatorId: string;
  /** Center codes of the operator to their ids; a blank center means the central warehouse. */
  centers: ReadonlyMap<string, string>;
};

const COPY_SQL =
  'COPY sims (id, operator_id, iccid, imsi, form_factor, esim_matching_id, batch, center_id) FROM STDIN WITH (FORMAT csv)';

/**
 * SIM stock from a supplier's file: `iccid,imsi,form_factor[,center][,batch][,esim_matching_id]`.
 * Rows go in with COPY; when a batch clashes with SIMs already in stock, the clashing rows are
 * found, reported and the rest copied again.
 */
export function inventorySpec(ctx: InventoryContext): ImportSpec<InventoryRow> {
  const seenIccids = new Set<string>();
  const seenImsis = new Set<string>();
  return {
    columns: ['iccid', 'imsi', 'form_factor', 'center', 'batch', 'esim_matching_id'],
    required: ['iccid', 'imsi', 'form_factor'],
    validate(r) {
      const iccid = parseIccid(r.iccid ?? '');
      if (!iccid.ok) return iccid;
      const imsi = parseImsi(r.imsi ?? '');
      if (!imsi.ok) return imsi;
      const formFactor = (r.form_factor ?? '').toLowerCase() as FormFactor;
      if (!FORM_FACTORS.includes(formFactor)) return err('inventory.form_factor');
      const esimMatchingId = r.esim_matching_id || null;
      if ((formFactor === 'esim') !== (esimMatchingId !== null)) return err('inventory.esim_matching_id');
      const centerCode = r.center || null;
      const centerId = centerCode === null ? null : ctx.centers.get(centerCode);
      if (centerId === undefined) return err('inventory.unknown_center');
      return ok({
        iccid: iccid.value,
        imsi: imsi.value.imsi,
        formFactor,
        esimMatchingId,
        batch: r.batch || null,
        centerId,
      });
    },
    seen(row) {
      if (seenIccids.has(row.iccid)) return 'inventory.duplicate_iccid';
      if (seenImsis.has(row.imsi)) return 'inventory.duplicate_imsi';
      seenIccids.add(row.iccid);
      seenImsis.add(row.imsi);
      return null;
    },
    async write(tx, rows) {
      await tx.query('SAVEPOINT inventory_batch');
      try {
        await copy(tx, ctx.operatorId, rows);
        await tx.query('RELEASE SAVEPOINT inventory_batch');
        return [];
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
        await tx.query('ROLLBACK TO SAVEPOINT inventory_batch');
      }
      const refused = await clashes(tx, rows);
      const refusedLines = new Set(refused.map((r) => r.line));
      await copy(
        tx,
        ctx.operatorId,
        rows.filter((r) => !refusedLines.has(r.line)),
      );
      return refused;
    },
  };
}

/** Ids are made here: gen_random_uuid() is the slowest part of a COPY into embedded PGlite. */
function copy(tx: RawTx, operatorId: string, rows: Numbered<InventoryRow>[]) {
  if (rows.length === 0) return Promise.resolve();
  let csv = '';
  for (const { value: r } of rows) {
    csv += csvLine([randomUUID(), operatorId, r.iccid, r.imsi, r.formFactor, r.esimMatchingId, r.batch, r.centerId]);
  }
  return tx.copyCsv(COPY_SQL, csv);
}

async function clashes(tx: RawTx, rows: Numbered<InventoryRow>[]): Promise<RejectedRow[]> {
  const found = await tx.query<{ iccid: string; imsi: string; esim_matching_id: string | null }>(
    'select iccid, imsi, esim_matching_id from sims where iccid = any($1) or imsi = any($2) or esim_matching_id = any($3)',
    [rows.map((r) => r.value.iccid), rows.map((r) => r.value.imsi), rows.flatMap((r) => r.value.esimMatchingId ?? [])],
  );
  const iccids = new Set(found.map((f) => f.iccid));
  const imsis = new Set(found.map((f) => f.imsi));
  const matchingIds = new Set(found.map((f) => f.esim_matching_id));
  return rows.flatMap(({ line, value }) => {
    if (iccids.has(value.iccid)) return [{ line, reason: 'inventory.iccid_exists' }];
    if (imsis.has(value.imsi)) return [{ line, reason: 'inventory.imsi_exists' }];
    if (value.esimMatchingId && matchingIds.has(value.esimMatchingId))
      return [{ line, reason: 'inventory.esim_matching_id_exists' }];
    return [];
  });
}

/** The inventory import of one operator, its center codes read from the database. */
export async function inventorySpecFor(db: Db, operatorId: string): Promise<ImportSpec<InventoryRow>> {
  const centers = await db
    .select({ code: serviceCenters.code, id: serviceCenters.id })
    .from(serviceCenters)
    .where(eq(serviceCenters.operatorId, operatorId));
  return inventorySpec({ operatorId, centers: new Map(centers.map((c) => [c.code, c.id])) });
}

/** A stock file uploaded by logistics: imported row by row as it streams in, then audited with its counts. */
export async function importStock(
  database: Database,
  staff: StaffActor,
  input: Readable,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { db } = database;
  if (!(await hasRole(db, staff, ['logistics', 'admin']))) throw new StaffForbidden();
  const summary = await importCsv(database, input, await inventorySpecFor(db, staff.operatorId), options);
  await db.transaction((tx) =>
    appendAudit(tx, {
      operatorId: staff.operatorId,
      actorKind: 'staff',
      actorId: staff.staffId,
      action: 'inventory.imported',
      ip: staff.ip,
      data: {
        read: summary.read,
        imported: summary.imported,
        rejected: summary.rejectedCount,
        rolledBack: summary.rolledBack,
      },
    }),
  );
  return summary;
}
