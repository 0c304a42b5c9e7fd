import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HeaderError, importCsv } from '../../src/app/import/csv-import.ts';
import { inventorySpec } from '../../src/app/import/inventory.ts';
import { subscribersSpec } from '../../src/app/import/subscribers.ts';
import { operatorIdBySlug } from '../../src/app/operators/operator-profile.ts';
import { openSecret } from '../../src/app/secret-box.ts';
import type { Database } from '../../src/db/client.ts';
import { completeIccid } from '../../src/domain/iccid.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

let database: Database;
let operatorId: string;
let centers: Map<string, string>;
beforeAll(async () => {
  database = await seededDatabase();
  operatorId = (await operatorIdBySlug(database, 'volna'))!;
  const rows = await database.raw.query<{ code: string; id: string }>(
    'select code, id from service_centers where operator_id = $1',
    [operatorId],
  );
  centers = new Map(rows.map((r) => [r.code, r.id]));
});
afterAll(() => database.close());

const iccid = (n: number) => completeIccid(`8970155${String(n).padStart(11, '0')}`);
const imsi = (n: number) => `25097555${String(n).padStart(7, '0')}`;
const sims = async () => Number((await database.raw.query<{ n: string }>('select count(*) n from sims'))[0]!.n);

function inventory(csv: string, allOrNothing: boolean, batchSize = 3) {
  return importCsv(database, Readable.from([csv]), inventorySpec({ operatorId, centers }), { allOrNothing, batchSize });
}

describe('inventory import', () => {
  test('imports valid rows in batches, to centers and the warehouse', async () => {
    const before = await sims();
    const rows = Array.from({ length: 7 }, (_, i) => `${iccid(i)},${imsi(i)},nano,${i % 2 ? 'MSK-TVER' : ''},B1,`);
    const summary = await inventory(
      ['iccid,imsi,form_factor,center,batch,esim_matching_id', ...rows].join('\n'),
      false,
    );
    expect(summary).toMatchObject({ read: 7, imported: 7, rejectedCount: 0, rolledBack: false });
    expect(await sims()).toBe(before + 7);
    const [row] = await database.raw.query<{ center_id: string | null; status: string }>(
      'select center_id, status from sims where iccid = $1',
      [iccid(1)],
    );
    expect(row).toEqual({ center_id: centers.get('MSK-TVER'), status: 'in_stock' });
  });

  test('a bad check digit is reported with its line and, with all-or-nothing, nothing is imported', async () => {
    const before = await sims();
    const good = iccid(100);
    const bad = `${good.slice(0, -1)}${(Number(good.at(-1)) + 1) % 10}`;
    const csv = [
      'iccid,imsi,form_factor',
      `${iccid(101)},${imsi(101)},triple`,
      `${bad},${imsi(100)},triple`,
      `${iccid(102)},${imsi(102)},triple`,
      `${iccid(103)},${imsi(103)},triple`,
    ].join('\n');
    const summary = await inventory(csv, true, 2);
    expect(summary.rolledBack).toBe(true);
    expect(summary.imported).toBe(0);
    expect(summary.rejected).toEqual([{ line: 3, reason: 'iccid.check_digit' }]);
    expect(await sims()).toBe(before);

    const partial = await inventory(csv, false, 2);
    expect(partial).toMatchObject({ imported: 3, rejectedCount: 1, rolledBack: false });
    expect(await sims()).toBe(before + 3);
  });

  test('rows clashing with the file or with stock are reported, the rest imported', async () => {
    const csv = [
      'iccid,imsi,form_factor,center,batch,esim_matching_id',
      `${iccid(0)},${imsi(200)},nano,,,`,
      `${iccid(201)},${imsi(201)},nano,NOWHERE,,`,
      `${iccid(202)},${imsi(202)},esim,,,`,
      `${iccid(203)},${imsi(203)},esim,,,M-203`,
      `${iccid(203)},${imsi(204)},nano,,,`,
      `${iccid(205)},${imsi(205)},"nano",,"batch, with comma",`,
    ].join('\r\n');
    const summary = await inventory(csv, false);
    expect(summary.rejected).toEqual([
      { line: 3, reason: 'inventory.unknown_center' },
      { line: 4, reason: 'inventory.esim_matching_id' },
      { line: 6, reason: 'inventory.duplicate_iccid' },
      { line: 2, reason: 'inventory.iccid_exists' },
    ]);
    expect(summary.imported).toBe(2);
    const [row] = await database.raw.query<{ batch: string }>('select batch from sims where iccid = $1', [iccid(205)]);
    expect(row!.batch).toBe('batch, with comma');
  });

  test('a row with too few or too many fields is its own error, and the rows around it are imported', async () => {
    const csv = [
      'iccid,imsi,form_factor,center,batch,esim_matching_id',
      `${iccid(901)},${imsi(901)},nano,,,`,
      `${iccid(902)},${imsi(902)},nano`,
      `${iccid(903)},${imsi(903)},nano,,,,extra`,
      `${iccid(904)},${imsi(904)},nano,,,`,
    ].join('\n');
    const summary = await inventory(csv, false);
    expect(summary.rejected).toEqual([
      { line: 3, reason: 'import.field_count' },
      { line: 4, reason: 'import.field_count' },
    ]);
    expect(summary.imported).toBe(2);
  });

  test('a file without the required columns is refused before any row', async () => {
    await expect(inventory('iccid,form_factor\n1,nano', false)).rejects.toThrow(HeaderError);
  });
});

describe('subscribers import', () => {
  const header = 'account_ref,full_name,email,second_phone,locale,citizenship,msisdn,line_kind,iccid,imsi';
  const run = (rows: string[], allOrNothing = false) =>
    importCsv(
      database,
      Readable.from([[header, ...rows].join('\n')]),
      subscribersSpec(operatorId, testConfig.documentKey),
      {
        allOrNothing,
      },
    );

  test("the contract's document is kept sealed for the counter's check; a half-given document is refused", async () => {
    const withDocument = (rows: string[]) =>
      importCsv(
        database,
        Readable.from([[`${header},document_type,document_number`, ...rows].join('\n')]),
        subscribersSpec(operatorId, testConfig.documentKey),
        { allOrNothing: false },
      );
    const summary = await withDocument([
      `D-1,Жуков Пётр,,,ru,RU,+79165550090,voice,${iccid(390)},${imsi(390)},passport_ru,4510 777888`,
      `D-2,Ким Ли,,,ru,KR,+79165550091,voice,${iccid(391)},${imsi(391)},passport_foreign,`,
    ]);
    expect(summary).toMatchObject({ imported: 1, rejected: [{ line: 3, reason: 'subscribers.document' }] });
    const [account] = await database.raw.query<{ id: string; document_type: string; sealed: string }>(
      "select id, document_type, document_number_encrypted sealed from accounts where import_ref = 'D-1'",
    );
    expect(account?.document_type).toBe('passport_ru');
    expect(account?.sealed).not.toContain('777888');
    expect(openSecret(testConfig.documentKey, account?.sealed ?? '', account?.id)).toBe('4510 777888');
  });

  test("an imported line's SIM carries its real activation, or none: never the import's time, which would read as a SIM change", async () => {
    const rows = [
      `${header},sim_activated_at`,
      `T-1,Old Timer,,,en,RU,+79165550095,voice,${iccid(395)},${imsi(395)},2019-04-01T09:30:00+03:00`,
      `T-2,Unknown Start,,,en,RU,+79165550096,voice,${iccid(396)},${imsi(396)},`,
      `T-3,Bad Time,,,en,RU,+79165550097,voice,${iccid(397)},${imsi(397)},2019-04-01 09:30`,
    ];
    const summary = await importCsv(
      database,
      Readable.from([rows.join('\n')]),
      subscribersSpec(operatorId, testConfig.documentKey),
      { allOrNothing: false },
    );
    expect(summary).toMatchObject({ imported: 2, rejected: [{ line: 4, reason: 'subscribers.sim_activated_at' }] });
    const sims = await database.raw.query<{ msisdn: string; activated: string | null }>(
      `select l.msisdn, s.activated_at::text activated from lines l join sims s on s.line_id = l.id
        where l.msisdn in ('+79165550095', '+79165550096') order by l.msisdn`,
    );
    expect(sims.map((r) => [r.msisdn, r.activated === null ? null : new Date(r.activated).toISOString()])).toEqual([
      ['+79165550095', '2019-04-01T06:30:00.000Z'],
      ['+79165550096', null],
    ]);
  });

  test('groups lines by account and gives each line its active SIM', async () => {
    const summary = await run([
      `A-1,Орлов Олег,oleg@example.ru,,ru,RU,8 (916) 555-00-01,voice,${iccid(300)},${imsi(300)}`,
      `A-1,Орлов Олег,oleg@example.ru,,ru,RU,+7 916 555 00 02,data,${iccid(301)},${imsi(301)}`,
      `A-2,Chen Jie,chen@example.cn,+8613800138001,zh,CN,+79165550003,,${iccid(302)},${imsi(302)}`,
    ]);
    expect(summary).toMatchObject({ imported: 3, rejectedCount: 0 });
    const lines = await database.raw.query<{ msisdn: string; kind: string; ref: string; iccid: string }>(
      `select l.msisdn, l.kind, a.import_ref ref, s.iccid from lines l join accounts a on a.id = l.account_id
       join sims s on s.line_id = l.id and s.status = 'active' where a.import_ref in ('A-1', 'A-2') order by l.msisdn`,
    );
    expect(lines).toEqual([
      { msisdn: '+79165550001', kind: 'voice', ref: 'A-1', iccid: iccid(300) },
      { msisdn: '+79165550002', kind: 'data', ref: 'A-1', iccid: iccid(301) },
      { msisdn: '+79165550003', kind: 'voice', ref: 'A-2', iccid: iccid(302) },
    ]);
  });

  test('bad and clashing rows are named by line', async () => {
    const summary = await run(
      [
        `A-3,Иванов,bad-email,,ru,RU,+79165550010,voice,${iccid(310)},${imsi(310)}`,
        `A-4,Петров,,,ru,RU,12345,voice,${iccid(311)},${imsi(311)}`,
        `A-5,Сидоров,,,ru,RU,+79161110001,voice,${iccid(312)},${imsi(312)}`,
      ],
      true,
    );
    expect(summary.rolledBack).toBe(true);
    expect(summary.rejected).toEqual([
      { line: 2, reason: 'subscribers.email' },
      { line: 3, reason: 'msisdn.invalid' },
      { line: 4, reason: 'subscribers.msisdn_exists' },
    ]);
  });

  test('a second phone that is a line of the same account is refused by line, whichever comes first', async () => {
    const summary = await run([
      `A-6,Козлов,,+79165550021,ru,RU,+79165550020,voice,${iccid(320)},${imsi(320)}`,
      `A-6,Козлов,,,ru,RU,+79165550021,voice,${iccid(321)},${imsi(321)}`,
      `A-7,Морозова,,,ru,RU,+79165550030,voice,${iccid(322)},${imsi(322)}`,
      `A-7,Морозова,,+79165550030,ru,RU,+79165550031,data,${iccid(323)},${imsi(323)}`,
      `A-8,Белов,,+79165550041,ru,RU,+79165550040,voice,${iccid(324)},${imsi(324)}`,
      `A-8,Белов,,+79165550099,ru,RU,+79165550042,voice,${iccid(325)},${imsi(325)}`,
    ]);
    expect(summary.rejected).toEqual([
      { line: 3, reason: 'subscribers.second_phone_is_line' },
      { line: 5, reason: 'subscribers.second_phone_differs' },
      { line: 7, reason: 'subscribers.second_phone_differs' },
    ]);
    const later = await run([`A-8,Белов,,,ru,RU,+79165550041,voice,${iccid(326)},${imsi(326)}`]);
    expect(later.rejected).toEqual([{ line: 2, reason: 'subscribers.second_phone_is_line' }]);
  });
});
