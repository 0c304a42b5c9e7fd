import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

let database: Database;
let app: FastifyInstance;
/** Monday 23 November 2026, 05:30 UTC: 08:30 in Moscow, 10:30 in Yekaterinburg, 12:30 in Novosibirsk, 15:30 in Vladivostok. */
let clock = new Date('2026-11-23T05:30:00Z');
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false, now: () => clock });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const page = (url: string, lang = 'en', host = 'localhost') =>
  app.inject({ method: 'GET', url, headers: { host, cookie: `lang=${lang}` } });

/** The status line of a center's card, by the center's code. */
const statusOf = (body: string, code: string) =>
  body.match(new RegExp(`href="/centers/${code}">[^<]*</a></h3><p[^>]*><strong>([^<]*)</strong>`))?.[1];

test("open now or when next, computed in each center's own time zone", async () => {
  const hours = await database.raw.query<{ code: string; weekday: number; opens: string; closes: string }>(
    `select c.code, h.weekday, h.opens::text, h.closes::text from center_hours h join service_centers c on c.id = h.center_id
      where c.code in ('MSK-TVER', 'EKB-LENIN', 'NSK-KRAS', 'VVO-SVET') and h.weekday = 1 order by c.code, h.opens`,
  );
  const list = await page('/centers');
  expect(list.statusCode).toBe(200);
  const expectations: Record<string, number> = {
    'MSK-TVER': 8.5,
    'EKB-LENIN': 10.5,
    'NSK-KRAS': 12.5,
    'VVO-SVET': 15.5,
  };
  for (const [code, localHour] of Object.entries(expectations)) {
    const today = hours.filter((h) => h.code === code);
    const hourOf = (t: string) => Number(t.slice(0, 2)) + Number(t.slice(3, 5)) / 60;
    const open = today.find((h) => hourOf(h.opens) <= localHour && localHour < hourOf(h.closes));
    const line = statusOf(list.body, code);
    if (open) expect(line, code).toBe(`Open now, closes at ${open.closes.slice(0, 5)}`);
    else expect(line, code).toMatch(/^Closed now, opens (today|tomorrow|on \w+) at \d\d:\d\d$/);
  }
  expect(statusOf(list.body, 'MSK-TVER')).toMatch(/^Closed now, opens today at 0[9]:\d\d$|^Open now/);
  clock = new Date('2026-11-23T19:00:00Z');
  const night = await page('/centers');
  expect(statusOf(night.body, 'MSK-TVER')).toMatch(/^Closed now, opens tomorrow at \d\d:\d\d$/);
  clock = new Date('2026-11-23T05:30:00Z');
});

test('grouped by city, searchable by city or street without JavaScript, sorted by distance when located', async () => {
  const list = await page('/centers', 'ru');
  expect(list.body).toContain('<h2 id="city-moscow">Москва</h2>');
  expect(list.body).toContain('data-locate="true" hidden>');
  expect(list.body).toMatch(/<script src="\/assets\/js\/center-finder\.js\?v=[0-9a-f]{12}" defer>/);
  const search = await page(
    '/centers?q=%D0%B5%D0%BA%D0%B0%D1%82%D0%B5%D1%80%D0%B8%D0%BD%D0%B1%D1%83%D1%80%D0%B3',
    'ru',
  );
  expect(search.body).toContain('/centers/EKB-LENIN');
  expect(search.body).not.toContain('/centers/MSK-TVER');
  const located = await page('/centers?lat=43.12&lon=131.89');
  const order = [...located.body.matchAll(/href="\/centers\/([A-Z-]+)"/g)].map((m) => m[1]);
  expect(order[0]).toBe('VVO-SVET');
  expect(located.body).toMatch(/\d+\.\d km from you/);
  expect((await page('/centers?lat=999&lon=0')).body).not.toContain('km from you');
  expect((await page('/centers?q=Atlantis')).body).toContain('No center matches');
});

test("each center has its page: hours, holidays, map links, what to bring; other operators' centers are not found", async () => {
  const center = await page('/centers/msk-tver', 'zh');
  expect(center.statusCode).toBe(200);
  expect(center.body).toContain('营业时间');
  expect(center.body).toMatch(/href="geo:55\.\d+,37\.\d+\?q=55\.\d+,37\.\d+"/);
  expect(center.body).toContain('https://www.openstreetmap.org/?mlat=');
  expect(center.body).toContain('请携带护照');
  expect((await page('/centers/MSK-ARBAT')).statusCode).toBe(404);
  expect((await page('/centers/MSK-ARBAT', 'en', 'sever.localhost')).statusCode).toBe(200);
  expect((await page('/centers/%3Cscript%3E')).statusCode).toBe(404);
});
