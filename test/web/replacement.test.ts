import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DOCUMENT_MAX_BYTES } from '../../src/app/documents/document-content.ts';
import { currentOffer } from '../../src/app/operators/operator-profile.ts';
import { openBytes } from '../../src/app/secret-box.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { readyDraft } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, WebClient } from '../support/web-client.ts';

let database: Database;
let app: FastifyInstance;
let kicks = 0;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false, onOutboxWrite: () => kicks++ });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const signedIn = (phone: string, lang = 'en', host = 'localhost') => signedInClient(app, phone, lang, host);

const lineId = async (msisdn: string) =>
  (await database.raw.query<{ id: string }>('select id from lines where msisdn = $1', [msisdn]))[0]!.id;

/** Follows redirects to the page they end on; fails the test unless the first answer is a 303. */
async function follow(c: WebClient, res: { statusCode: number; headers: Record<string, unknown> }) {
  expect(res.statusCode).toBe(303);
  let page = res;
  while (page.statusCode === 303) page = await c.get(page.headers.location as string);
  return page as Awaited<ReturnType<WebClient['get']>>;
}

/** The latest one-time code sent to this e-mail address or phone. */
async function lastCode(to: string): Promise<string> {
  const [message] = await database.raw.query<{ text: string }>(
    `select payload->>'text' text from outbox where payload->>'to' = $1 and idempotency_key like 'second-factor:%'
      order by id desc limit 1`,
    [to],
  );
  return message?.text.match(/\b(\d{6})\b/)?.[1] ?? 'none';
}

const photo = () =>
  sharp({ create: { width: 120, height: 80, channels: 3, background: '#246' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'GPS 55.7558 37.6173' } } })
    .toBuffer();

test('the courier journey: every answer saved, errors keep what was typed, submit fixes the fee and tells every contact', async () => {
  const anna = await signedIn('+79161110001');
  expect(anna.last?.body).toContain('Replace SIM');
  const line = await lineId('+79161110001');
  const started = await anna.post(`/lines/${line}/replace`);
  const base = started.headers.location as string;
  expect(base).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
  let page = await follow(anna, started);
  expect(page.body).toContain('What happened to your SIM?');

  const missing = await anna.post(`${base}/reason`, {});
  expect(missing.statusCode).toBe(400);
  expect(missing.body).toContain('href="#reason">Choose what happened to your SIM</a>');

  page = await follow(anna, await anna.post(`${base}/reason`, { reason: 'lost' }));
  expect(page.body).toContain('Which kind of SIM do you want?');
  expect(page.body).toContain(`href="${base}/reason"`);
  page = await follow(anna, await anna.post(`${base}/sim-type`, { simType: 'physical' }));
  expect(page.body).toContain('How do you want to get the new SIM?');
  expect(page.body).toContain('Moscow: 7–10 days, free and Other regions of Russia: 7–21 days, ₽350');
  page = await follow(anna, await anna.post(`${base}/delivery`, { delivery: 'courier' }));
  expect(page.body).toContain('Delivery address');

  const typed = { contactName: 'Иванова Анна Сергеевна', contactPhone: 'not a phone', city: 'Казань', street: '' };
  const bad = await anna.post(`${base}/contact`, { ...typed, building: '5' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toContain('href="#contactPhone">Enter a phone number we can call');
  expect(bad.body).toContain('href="#street">Enter the street</a>');
  expect(bad.body).toContain('value="Казань"');
  expect(bad.body).toContain('value="Иванова Анна Сергеевна"');
  const elsewhere = { ...typed, contactPhone: '+79161110002', street: 'Тверская', building: '1' };
  const mismatch = await anna.post(`${base}/contact`, { ...elsewhere, city: 'Москва', postcode: '630099' });
  expect(mismatch.body).toContain('href="#postcode">This postcode belongs to another city');

  page = await follow(
    anna,
    await anna.post(`${base}/contact`, {
      ...typed,
      contactPhone: '8 (916) 111-00-02',
      street: 'ул. Баумана',
      building: '5',
      postcode: '420111',
    }),
  );
  expect(page.body).toContain('Your identity document');
  expect(page.body).toContain(`up to ${DOCUMENT_MAX_BYTES / 1024 / 1024} MB`);
  expect(page.body).toContain('enctype="multipart/form-data"');

  const doc = { docType: 'passport_ru', docNumber: '45 06 123456' };
  const wrongType = await anna.postMultipart(`${base}/identity`, doc, {
    name: 'document',
    filename: 'passport.jpg',
    content: Buffer.from('MZ this is really an executable'),
    type: 'image/jpeg',
  });
  expect(wrongType.statusCode).toBe(400);
  expect(wrongType.body).toContain('href="#document">The file must be a JPEG, PNG or PDF</a>');
  expect(wrongType.body).toContain('value="45 06 123456"');

  const oversized = await anna.postMultipart(`${base}/identity`, doc, {
    name: 'document',
    filename: 'huge.jpg',
    content: Buffer.concat([await photo(), Buffer.alloc(DOCUMENT_MAX_BYTES)]),
    type: 'image/jpeg',
  });
  expect(oversized.statusCode, oversized.body.match(/<main[\s\S]*<\/main>/)?.[0]).toBe(400);
  expect(oversized.body).toContain('The file is larger than the limit');
  expect((await anna.get(`${base}/identity`)).body).toContain('value="45 06 123456"');

  const check = await follow(
    anna,
    await anna.postMultipart(`${base}/identity`, doc, {
      name: 'document',
      filename: 'passport.jpg',
      content: await photo(),
      type: 'image/jpeg',
    }),
  );
  expect(check.body).toContain('Check your answers before sending');
  expect(check.body).toContain('Russian internal passport, 45 06 123456');
  expect(check.body).toContain('420111, Казань, ул. Баумана, 5');
  expect(check.body).toContain('Courier delivery: Other regions of Russia (7–21 days)');
  expect(check.body).toContain(`href="${base}/contact?from=check"`);
  expect(check.body).toContain('Total to pay: ₽650');

  const back = await anna.get(`${base}/delivery?from=check`);
  expect(back.body).toContain(`class="back" href="${base}/check"`);

  const confirm = await anna.post(`${base}/submit`);
  expect(confirm.headers.location).toBe(`${base}/confirm?via=email`);
  const codePage = await anna.get(confirm.headers.location as string);
  expect(codePage.body).toContain('We sent a 6-digit code to a•••@example.ru');
  expect(codePage.body).toContain('Send the code to my second phone instead');
  const wrong = await anna.post(`${base}/confirm`, { code: '000000' });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toContain('The code is wrong or has expired');
  expect(
    await database.raw.query(`select 1 from replacement_requests where line_id = $1 and status = 'draft'`, [line]),
  ).toHaveLength(1);

  kicks = 0;
  const confirmation = await follow(
    anna,
    await anna.post(`${base}/confirm`, { code: await lastCode('anna.ivanova@example.ru') }),
  );
  expect(kicks).toBe(1);
  const [request] = await database.raw.query<{
    id: string;
    reference: string;
    status: string;
    fee_minor: number;
    submitted_at: Date | null;
  }>(`select id, reference, status, fee_minor, submitted_at from replacement_requests where line_id = $1`, [line]);
  expect(request).toMatchObject({ status: 'awaiting_payment', fee_minor: 65000 });
  expect(confirmation.body).toContain('Request sent');
  expect(confirmation.body).toContain(`<strong class="nowrap">${request!.reference}</strong>`);
  expect(confirmation.body).toContain('Waiting for payment');
  expect(confirmation.body).toMatch(/<time datetime="[^"]+">[^<]+ \d{2}:\d{2} Moscow Time<\/time>/);

  const events = await database.raw.query<{ type: string; to_status: string }>(
    'select type, to_status from request_events where request_id = $1 order by id',
    [request!.id],
  );
  expect(events).toEqual([{ type: 'submit', to_status: 'awaiting_payment' }]);

  const notices = await database.raw.query<{ topic: string; to: string; text: string }>(
    `select topic, payload->>'to' "to", payload->>'text' text from outbox
      where idempotency_key like 'request-submitted:' || $1 || ':%' order by id`,
    [request!.id],
  );
  expect(notices.map((n) => [n.topic, n.to])).toEqual([
    ['email.send', 'anna.ivanova@example.ru'],
    ['sms.send', '+79161110002'],
    ['sms.send', '+79161110001'],
  ]);
  expect(notices[0]?.text).toContain('Если это были не вы');
  expect(notices[0]?.text).toMatch(/\d{2}:\d{2} Москва\./);
  expect(notices[0]?.text).toContain(`/wasnt-me/${request!.id}.`);

  const wizardAfterSubmit = await anna.get(`${base}/reason`);
  expect(wizardAfterSubmit.statusCode).toBe(303);
  expect(wizardAfterSubmit.headers.location).toBe(base);
});

test('the identity document is stored encrypted, bound to its record, without EXIF', async () => {
  const [row] = await database.raw.query<{ id: string; storage_key: string; number_encrypted: string; sha256: string }>(
    `select d.id, d.storage_key, d.number_encrypted, d.sha256 from identity_documents d
       join lines l on l.account_id = d.account_id where l.msisdn = '+79161110001'`,
  );
  expect(row?.number_encrypted).not.toContain('123456');
  const sealed = await readFile(join(testConfig.documentsDir, row!.storage_key));
  expect(sealed.subarray(0, 3)).not.toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  const plain = openBytes(testConfig.documentKey, sealed, row!.id);
  expect((await sharp(plain).metadata()).format).toBe('jpeg');
  expect(plain.includes('GPS 55.7558')).toBe(false);
  expect(() => openBytes(testConfig.documentKey, sealed, 'another-record')).toThrow();
  const files = await readdir(join(testConfig.documentsDir, row!.storage_key.split('/')[0]!));
  expect(files.filter((f) => f.startsWith(row!.id))).toHaveLength(1);
});

test('a zero fee goes straight to review, and eSIM skips the delivery question', async () => {
  const li = await signedIn('+79161110011', 'zh');
  const base = (await li.post(`/lines/${await lineId('+79161110011')}/replace`)).headers.location as string;
  await li.post(`${base}/reason`, { reason: 'switch_to_esim' });
  const contact = await li.get(`${base}/contact`);
  expect(contact.body).toContain('您的联系方式');
  expect(contact.body).toContain(`class="back" href="${base}/reason"`);
  expect(contact.body).not.toContain('收货地址');
  await li.post(`${base}/contact`, { contactName: 'Ли Вэй (李伟)', contactPhone: '+86 139 1234 5678' });
  await li.postMultipart(
    `${base}/identity`,
    { docType: 'passport_foreign', docNumber: 'E12345678' },
    {
      name: 'document',
      filename: 'p.png',
      content: await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
      type: 'image/png',
    },
  );
  const check = await li.get(`${base}/check`);
  expect(check.body).toContain('无需付费');
  const viaSms = await li.post(`${base}/submit`);
  expect(viaSms.headers.location).toBe(`${base}/confirm?via=email`);
  const done = await follow(li, await li.post(`${base}/confirm`, { code: await lastCode('li.wei@example.cn') }));
  expect(done.body).toContain('已提交：正在审核证件');
});

test('the SIM-change lock, the operator policy and a fresh password change each refuse an online request', async () => {
  const john = await signedIn('+79161110021');
  await john.post('/account/sim-lock', { lock: 'on' });
  await john.get('/account');
  const locked = await john.post(`/lines/${await lineId('+79161110021')}/replace`);
  expect(locked.statusCode).toBe(403);
  expect(locked.body).toContain('The SIM-change lock is on for your account');
  expect(locked.body).toContain('bring your passport');

  const liu = await signedIn('+79222220021', 'en', 'sever.localhost');
  const foreign = await liu.post(`/lines/${await lineId('+79222220021')}/replace`);
  expect(foreign.statusCode).toBe(403);
  expect(foreign.body).toContain('only in person at a service center');

  await database.raw.query(
    `update accounts set password_changed_at = now() - interval '1 hour'
      where id = (select account_id from lines where msisdn = '+79161110031')`,
  );
  const dmitry = await signedIn('+79161110031');
  const fresh = await dmitry.post(`/lines/${await lineId('+79161110031')}/replace`);
  expect(fresh.statusCode).toBe(403);
  expect(fresh.body).toContain('online replacement is possible again from');
  const count = await database.raw.query<{ n: number }>(
    `select count(*)::int n from replacement_requests r join lines l on l.id = r.line_id
      where l.msisdn in ('+79161110021', '+79222220021', '+79161110031')`,
  );
  expect(count[0]?.n).toBe(0);
});

test("a session of one account cannot read or change another account's request", async () => {
  const [anna] = await database.raw.query<{ id: string }>(
    `select r.id from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = '+79161110001'`,
  );
  const john = await signedIn('+79161110021');
  const pages = ['', '/reason', '/check', '/confirm', '/pay', '/receipt.pdf', '/status.json', '/activate', '/esim'];
  for (const page of pages) expect((await john.get(`/requests/${anna!.id}${page}`)).statusCode, page).toBe(404);
  const actions = ['/reason', '/submit', '/confirm', '/pay', '/cancel', '/activate', '/esim', '/esim/activate'];
  for (const action of actions)
    expect((await john.post(`/requests/${anna!.id}${action}`, { reason: 'damaged' })).statusCode, action).toBe(404);
  const upload = await john.postMultipart(
    `/requests/${anna!.id}/document`,
    { docType: 'passport_ru' },
    {
      name: 'document',
      filename: 'p.jpg',
      content: await photo(),
      type: 'image/jpeg',
    },
  );
  expect(upload.statusCode).toBe(404);
  const [stillAnnas] = await database.raw.query<{ status: string; documents: number }>(
    `select r.status, (select count(*)::int from identity_documents d where d.request_id = r.id and d.account_id <> r.account_id) documents
       from replacement_requests r where r.id = $1`,
    [anna!.id],
  );
  expect(stillAnnas).toEqual({ status: 'awaiting_payment', documents: 0 });
  expect((await john.post(`/lines/${await lineId('+79161110001')}/replace`)).statusCode).toBe(404);
  const anonymous = new WebClient(app);
  expect((await anonymous.get(`/requests/${anna!.id}`)).statusCode).toBe(303);
});

test('"This wasn\'t me" freezes the request and the account and signs everyone out', async () => {
  const [request] = await database.raw.query<{ id: string; account_id: string }>(
    `select r.id, r.account_id from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = '+79161110001'`,
  );
  const [notice] = await database.raw.query<{ text: string }>(
    `select payload->>'text' text from outbox where idempotency_key = $1`,
    [`request-submitted:${request!.id}:line`],
  );
  const link = new URL(notice!.text.match(/https?:\/\/\S+/)![0]);
  const signedInElsewhere = await signedIn('+79161110001');

  const owner = new WebClient(app, { 'accept-language': 'en' });
  const ask = await owner.get(link.pathname);
  expect(ask.body).toContain('Stop this SIM change?');
  expect(
    (
      await database.raw.query<{ status: string }>('select status from replacement_requests where id = $1', [
        request!.id,
      ])
    )[0]?.status,
  ).toBe('awaiting_payment');
  const done = await owner.post(link.pathname);
  expect(done.body).toContain('The request is stopped');

  const [after] = await database.raw.query<{ status: string; frozen: boolean; lock: boolean; sessions: number }>(
    `select r.status, a.frozen_at is not null frozen, a.sim_change_lock lock,
            (select count(*)::int from sessions s where s.account_id = a.id) sessions
       from replacement_requests r join accounts a on a.id = r.account_id where r.id = $1`,
    [request!.id],
  );
  expect(after).toEqual({ status: 'frozen', frozen: true, lock: true, sessions: 0 });
  expect((await signedInElsewhere.get('/account')).statusCode).toBe(303);

  expect((await owner.get(`${link.pathname.slice(0, -3)}xyz`)).statusCode).toBe(404);
});

test('the second factor goes to the second phone when asked, never to the line; without either contact no online request', async () => {
  const offer = await currentOffer(
    database.db,
    (await database.raw.query<{ id: string }>(`select id from operators where slug = 'volna'`))[0]!.id,
  );
  const { requestId } = await readyDraft(database, '+79161110091', {
    reason: 'damaged',
    delivery: 'pickup',
    centerId: offer.centerIds[0] ?? null,
  });
  const maria = await signedIn('+79161110091');
  const sent = await maria.post(`/requests/${requestId}/submit`);
  expect(sent.headers.location).toBe(`/requests/${requestId}/confirm?via=sms`);
  expect((await maria.get(sent.headers.location as string)).body).toContain('to your second phone +7••••••••92');
  const codes = await database.raw.query<{ to: string }>(
    `select payload->>'to' "to" from outbox where idempotency_key like 'second-factor:%' and payload->>'to' like '+7916111009%'`,
  );
  expect(codes.map((c) => c.to)).toEqual(['+79161110092']);
  const done = await follow(
    maria,
    await maria.post(`/requests/${requestId}/confirm`, { code: await lastCode('+79161110092') }),
  );
  expect(done.body).toContain('Request sent');

  await database.raw.query(
    `update accounts set email = null, second_phone = null
      where id = (select account_id from lines where msisdn = '+79161110101')`,
  );
  const igor = await signedIn('+79161110101');
  const refused = await igor.post(`/lines/${await lineId('+79161110101')}/replace`);
  expect(refused.statusCode).toBe(403);
  expect(refused.body).toContain('no e-mail and no second phone');
});
