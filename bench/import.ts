/**
 * Inventory import throughput against a raw COPY of the same file, in one process and one database.
 *
 *   npm run bench:import                       # embedded PGlite
 *   DATABASE_URL=postgres://… npm run bench:import
 *   ROWS=200000 npm run bench:import
 *
 * The import is the code path of `simdesk import inventory` (streaming parse, validation of every
 * ICCID/IMSI, duplicate checks, center lookup, batched COPY); the baseline COPYs the file as it is
 * into a scratch table with the same columns, constraints and indexes as `sims`.
 */
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { importCsv } from '../src/app/import/csv-import.ts';
import { inventorySpec } from '../src/app/import/inventory.ts';
import { openDatabase } from '../src/db/client.ts';
import { completeIccid } from '../src/domain/iccid.ts';

const rows = Number(process.env.ROWS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'simdesk-bench-'));
const file = join(dir, 'inventory.csv');
const centerCodes = ['MSK-1', 'EKB-1', 'NSK-1', ''];

async function generate() {
  const out = createWriteStream(file);
  out.write('iccid,imsi,form_factor,center,batch\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(10, '0');
    chunk += `${completeIccid(`89701990${n}`)},25099${n},${i % 3 ? 'nano' : 'triple'},${centerCodes[i % 4]},B-${Math.floor(i / 50_000)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

await generate();
const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 2 });
await database.migrate();
try {
  const [op] = await database.raw.query<{ id: string }>(
    `insert into operators (slug, name, support_phone, support_email)
     values ('bench-' || floor(random() * 1e9)::text, '{"ru":"B","en":"B","zh":"B"}', '+78000000000', 'b@b.example')
     returning id`,
  );
  const operatorId = op!.id;
  const centers = new Map<string, string>();
  for (const code of centerCodes.filter(Boolean)) {
    const [c] = await database.raw.query<{ id: string }>(
      `insert into service_centers (operator_id, code, name, city_key, city, address, latitude, longitude, time_zone, phone)
       values ($1, $2, '{}', 'x', '{}', '{}', 0, 0, 'Europe/Moscow', '+70000000000') returning id`,
      [operatorId, code],
    );
    centers.set(code, c!.id);
  }

  let start = process.hrtime.bigint();
  const summary = await importCsv(database, createReadStream(file), inventorySpec({ operatorId, centers }), {
    allOrNothing: false,
  });
  const importSeconds = seconds(start);
  if (summary.imported !== rows) throw new Error(`imported ${summary.imported} of ${rows}`);

  await database.raw.query('drop table if exists sims_copy_bench');
  await database.raw.query('create table sims_copy_bench (like sims including all)');
  await database.raw.query('alter table sims_copy_bench add column center_code text');
  await database.raw.query(`alter table sims_copy_bench alter column operator_id set default '${operatorId}'`);
  start = process.hrtime.bigint();
  await database.raw.transaction((tx) =>
    tx.copyCsv(
      'COPY sims_copy_bench (iccid, imsi, form_factor, center_code, batch) FROM STDIN WITH (FORMAT csv, HEADER true)',
      readFileSync(file, 'utf8'),
    ),
  );
  const copySeconds = seconds(start);
  await database.raw.query('drop table sims_copy_bench');
  await database.raw.query('delete from sims where operator_id = $1', [operatorId]);

  const mb = statSync(file).size / 1e6;
  console.log(`database: ${database.kind}; ${rows.toLocaleString('en')} rows, ${mb.toFixed(1)} MB`);
  console.log(`simdesk import inventory: ${importSeconds.toFixed(2)} s, ${Math.round(rows / importSeconds)} rows/s`);
  console.log(`raw COPY (baseline):      ${copySeconds.toFixed(2)} s, ${Math.round(rows / copySeconds)} rows/s`);
  console.log(`ratio import/COPY:        ${(importSeconds / copySeconds).toFixed(2)}x (target ≤ 2x)`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
