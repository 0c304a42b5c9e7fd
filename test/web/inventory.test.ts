import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { assignSim, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import type { Database } from '../../src/db/client.ts';
import { luhnCheckDigit } from '../../src/domain/luhn.ts';
import { buildApp } from '../../src/web/app.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff } from '../support/staff.ts';
import { testConfig, testLinks } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

test('stock by place, kind and status, and a SIM found by its ICCID with its request', async () => {
  const staff = await demoStaff(database);
  const { requestId } = await submittedRequest(database, '+79161110011', { reason: 'not_working' });
  await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'approve' });
  await assignSim(database.db, testLinks, staff.logistics, requestId);
  const [sim] = await database.raw.query<{ iccid: string; reference: string }>(
    'select s.iccid, r.reference from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
    [requestId],
  );
  const [warehouse] = await database.raw.query<{ n: number }>(
    `select count(*)::int n from sims s join operators o on o.id = s.operator_id
      where o.slug = 'volna' and s.center_id is null and s.status = 'in_stock' and s.form_factor <> 'esim'`,
  );
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  const page = await logistics.get('/staff/inventory');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`Central warehouse · SIM cards</h3><dl><dt>In stock</dt><dd>${warehouse?.n}</dd>`);
  expect(page.body).toContain('<dt>Reserved</dt><dd>1</dd>');

  const spaced = (sim?.iccid ?? '').replace(/(\d{4})/g, '$1 ');
  const found = await logistics.get(`/staff/inventory?iccid=${encodeURIComponent(spaced)}`);
  expect(found.body).toContain(sim?.reference);
  expect(found.body).toContain('<dd>Reserved</dd>');
  expect((await logistics.get('/staff/inventory?iccid=8970100000000009991')).body).toContain('No SIM of this operator');

  const foreign = await staffClient(app, database, 'logistics@sever.example', 'sever.localhost');
  expect((await foreign.get(`/staff/inventory?iccid=${sim?.iccid}`)).body).toContain('No SIM of this operator');
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  expect((await reviewer.get('/staff/inventory')).statusCode).toBe(403);
});

const stockAt = async (code: string | null) =>
  database.raw.query<{ iccid: string }>(
    `select s.iccid from sims s join operators o on o.id = s.operator_id left join service_centers c on c.id = s.center_id
      where o.slug = 'volna' and s.status = 'in_stock' and s.form_factor <> 'esim'
        and ${code ? 'c.code = $1' : 'c.id is null and $1::text is null'} order by s.iccid limit 3`,
    [code],
  );

test('a transfer sends scanned cards from the warehouse to a center, in transit until received there', async () => {
  const [center] = await database.raw.query<{ id: string }>("select id from service_centers where code = 'MSK-AVIA'");
  const cards = (await stockAt(null)).map((c) => c.iccid);
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  await logistics.get('/staff/inventory');
  const bad = await logistics.post('/staff/inventory/transfers', {
    from: '',
    to: center?.id as string,
    iccids: `${cards[0]}\n\n8970100000000000001\n${cards[0]}`,
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('Line 3: The ICCID check digit is wrong');
  expect(bad.body).toContain('Line 4: listed twice');
  expect(bad.body).toContain(cards[0]);
  const same = await logistics.post('/staff/inventory/transfers', { from: '', to: '', iccids: cards[0] as string });
  expect(same.body).toContain('Choose two different places');

  const sent = await logistics.post('/staff/inventory/transfers', {
    from: '',
    to: center?.id as string,
    iccids: cards.slice(0, 2).join('\r\n'),
  });
  expect(sent.headers.location).toBe('/staff/inventory?sent=2');
  const moving = await database.raw.query<{ status: string; center_id: string; transfer_id: string }>(
    'select status, center_id, transfer_id from sims where iccid = any($1)',
    [cards.slice(0, 2)],
  );
  expect(moving.every((s) => s.status === 'in_transit' && s.center_id === center?.id && s.transfer_id)).toBe(true);
  const again = await logistics.post('/staff/inventory/transfers', {
    from: '',
    to: center?.id as string,
    iccids: cards[0] as string,
  });
  expect(again.body).toContain('Line 1: not in stock at the place it would leave');

  const page = (await logistics.get('/staff/inventory')).body;
  const [, transferId] = page.match(/\/staff\/inventory\/transfers\/([0-9a-f-]{36})\/receive/) ?? [];
  expect((await logistics.post(`/staff/inventory/transfers/${transferId}/receive`)).headers.location).toBe(
    '/staff/inventory?received=2',
  );
  const arrived = await database.raw.query<{ status: string; center_id: string; transfer_id: string | null }>(
    'select status, center_id, transfer_id from sims where iccid = any($1)',
    [cards.slice(0, 2)],
  );
  expect(arrived).toEqual([
    { status: 'in_stock', center_id: center?.id, transfer_id: null },
    { status: 'in_stock', center_id: center?.id, transfer_id: null },
  ]);
  expect((await logistics.post(`/staff/inventory/transfers/${transferId}/receive`)).statusCode).toBe(404);
  const audit = await database.raw.query<{ action: string }>(
    "select action from audit_log where action like 'inventory.transfer_%' order by id",
  );
  expect(audit.map((a) => a.action)).toEqual(['inventory.transfer_sent', 'inventory.transfer_received']);
});

test('a stock file uploaded from the browser goes through the CLI importer, bad rows named by line', async () => {
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  await logistics.get('/staff/inventory');
  const file = (rows: string[]) => ({
    name: 'file',
    filename: 'stock.csv',
    type: 'text/csv',
    content: Buffer.from(['iccid,imsi,form_factor,center', ...rows].join('\n')),
  });
  const iccid = (n: number) => {
    const body = `897019900000000000${n}`;
    return `${body}${luhnCheckDigit(body)}`;
  };
  const good = [`${iccid(1)},250990000000001,triple,MSK-TVER`, `${iccid(2)},250990000000002,triple,`];
  const bad = [...good, `${iccid(3)},250990000000003,floppy,`];
  const refused = await logistics.postMultipart('/staff/inventory/import', { allOrNothing: 'on' }, file(bad));
  expect(refused.statusCode).toBe(400);
  expect(refused.body).toContain('Nothing imported: the file has wrong rows');
  expect(refused.body).toContain('Line 4: Unknown form factor');
  expect(await database.raw.query("select 1 from sims where imsi like '25099000%'")).toEqual([]);

  const partial = await logistics.postMultipart(
    '/staff/inventory/import',
    {},
    file([...good, 'nonsense,250990000000009,triple,']),
  );
  expect(partial.statusCode).toBe(400);
  expect(partial.body).toContain('2 SIMs imported');
  expect(partial.body).toContain('Line 4:');
  expect(await database.raw.query("select 1 from sims where imsi like '2509900000000%'")).toHaveLength(2);

  const header = await logistics.postMultipart(
    '/staff/inventory/import',
    {},
    {
      ...file([]),
      content: Buffer.from('serial,kind\n1,2\n'),
    },
  );
  expect(header.body).toContain('must name the columns iccid, imsi and form_factor');
  const forged = await logistics.postMultipart('/staff/inventory/import', { _csrf: 'forged' }, file(good));
  expect(forged.statusCode).toBe(403);
});

test("a center's agent receives the cards sent to their center, and only those", async () => {
  const [here] = await database.raw.query<{ id: string; name: { en: string } }>(
    `select c.id, c.name from service_centers c join staff_users s on s.center_id = c.id where s.email = 'store-agent@volna.example'`,
  );
  const [elsewhere] = await database.raw.query<{ id: string }>(
    `select c.id from service_centers c join operators o on o.id = c.operator_id
      where o.slug = 'volna' and c.id <> $1 limit 1`,
    [here?.id],
  );
  const cards = (await stockAt(null)).map((c) => c.iccid);
  const logistics = await staffClient(app, database, 'logistics@volna.example');
  await logistics.get('/staff/inventory');
  for (const [to, iccid] of [
    [here?.id, cards[0]],
    [elsewhere?.id, cards[1]],
  ])
    await logistics.post('/staff/inventory/transfers', { from: '', to: to as string, iccids: iccid as string });
  const [other] = await database.raw.query<{ id: string }>(
    'select id from sim_transfers where to_center_id = $1 and received_at is null',
    [elsewhere?.id],
  );

  const agent = await staffClient(app, database, 'store-agent@volna.example');
  const page = (await agent.get('/staff/counter')).body;
  expect(page).toContain('Cards on their way to this center');
  const receivable = [...page.matchAll(/\/staff\/counter\/transfers\/([0-9a-f-]{36})\/receive/g)].map((m) => m[1]);
  expect(receivable).toHaveLength(1);
  expect(receivable).not.toContain(other?.id);
  expect((await agent.post(`/staff/counter/transfers/${other?.id}/receive`)).statusCode).toBe(404);
  expect((await agent.post(`/staff/counter/transfers/${receivable[0]}/receive`)).headers.location).toBe(
    '/staff/counter?received=1',
  );
  expect((await agent.get('/staff/counter?received=1')).body).toContain('1 card received into stock.');
  const [card] = await database.raw.query<{ status: string; center_id: string }>(
    'select status, center_id from sims where iccid = $1',
    [cards[0]],
  );
  expect(card).toEqual({ status: 'in_stock', center_id: here?.id });
});
