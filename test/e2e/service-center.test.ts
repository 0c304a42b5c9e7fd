import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assignSim, dispatchRequest, markReadyForPickup, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { type Locale, type Translate, translator } from '../../src/i18n/translate.ts';
import { pdfText } from '../support/pdf-text.ts';
import { submittedRequest } from '../support/requests.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import {
  browserTestsEnabled,
  expectAccessible,
  lastMessageTo,
  newContext,
  type Site,
  see,
  staffSignIn,
  startSite,
} from './browser.ts';

/**
 * The service center in Chromium: the finder's opening hours at a fixed clock, a booked visit
 * redeemed at the counter, a walk-in replaced the same day in each language, a pickup and a
 * courier's deliveries. Every page passes axe.
 */

/** Wednesday 2 December 2026, 04:30 UTC: 07:30 in Moscow, 09:30 in Yekaterinburg, 11:30 in Novosibirsk, 14:30 in Vladivostok. */
const CLOCK = new Date('2026-12-02T04:30:00Z');
const TABLET = { width: 1024, height: 768 };

let site: Site;
let staff: Staff;
beforeAll(async () => {
  if (!browserTestsEnabled) return;
  site = await startSite({ now: () => CLOCK });
  staff = await demoStaff(site.database);
}, 120_000);
afterAll(async () => {
  await site?.close();
});

const query = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  site.database.raw.query<T>(sql, params);

async function agentPage(locale: Locale) {
  const context = await newContext(site, locale);
  const page = await context.newPage();
  await page.setViewportSize(TABLET);
  return page;
}

const shelfCard = async () =>
  (
    await query<{ iccid: string }>(
      `select s.iccid from sims s join service_centers c on c.id = s.center_id
        where c.code = 'MSK-TVER' and s.status = 'in_stock' and s.form_factor <> 'esim' order by s.iccid limit 1`,
    )
  )[0]?.iccid as string;

const statusOfLine = async (msisdn: string) =>
  (
    await query<{ status: string; iccid: string }>(
      `select r.status, s.iccid from replacement_requests r join lines l on l.id = r.line_id
         left join sims s on s.id = r.sim_id where l.msisdn = $1 order by r.created_at desc limit 1`,
      [msisdn],
    )
  )[0];

describe.skipIf(!browserTestsEnabled)('the service center in Chromium', () => {
  test('"open now" in Moscow, Yekaterinburg, Novosibirsk and Vladivostok at a fixed clock, with and without JavaScript', async () => {
    const expected: Record<string, (t: Translate) => string> = {
      'MSK-TVER': (t) => t('centers.opensToday', { time: '09:00' }),
      'EKB-LENIN': (t) => t('centers.open', { time: '20:00' }),
      'NSK-KRAS': (t) => t('centers.open', { time: '20:00' }),
      'VVO-SVET': (t) => t('centers.open', { time: '19:00' }),
    };
    for (const [locale, javaScript] of [
      ['en', true],
      ['ru', false],
      ['zh', true],
      ['zh', false],
    ] as const) {
      const t = translator(locale);
      const context = await newContext(site, locale, javaScript);
      const page = await context.newPage();
      await page.goto('/centers');
      // axe runs in the page, so it needs the page's JavaScript.
      if (javaScript) await expectAccessible(page);
      for (const [code, status] of Object.entries(expected)) {
        const card = page.locator('.line-card').filter({ has: page.locator(`a[href="/centers/${code}"]`) });
        expect(await card.locator('strong').first().textContent(), `${locale} ${code}`).toBe(status(t));
      }
      await page.goto('/centers/VVO-SVET');
      expect(await page.locator('main').textContent()).toContain(expected['VVO-SVET']?.(t));
      await context.close();
    }
  });

  test('a visit booked with a code, its ticket redeemed at the counter', async () => {
    const t = translator('en');
    const visitor = await (await newContext(site, 'en')).newPage();
    await visitor.setViewportSize({ width: 320, height: 640 });
    await visitor.goto('/centers/MSK-TVER');
    await visitor.getByRole('link', { name: t('visit.book') }).click();
    await expectAccessible(visitor);
    await visitor.locator('input[name=startsAt]:not([disabled])').first().check();
    await visitor.getByLabel(t('visit.name'), { exact: true }).fill('Emily Brown');
    await visitor.getByLabel(t('visit.phone'), { exact: true }).fill('+7 999 000-44-01');
    await visitor.getByLabel(t('visit.line'), { exact: true }).fill('+79161110072');
    await visitor.getByRole('button', { name: t('visit.sendCode') }).click();
    await see(visitor.getByLabel(t('visit.code'), { exact: true }));
    await expectAccessible(visitor);
    const sms = await lastMessageTo(site, '+79990004401', 'visit-code');
    await visitor.getByLabel(t('visit.code'), { exact: true }).fill(sms.match(/\d{6}/)?.[0] ?? '');
    await visitor.getByRole('button', { name: t('visit.submit') }).click();
    await see(visitor.getByText(t('visit.done.booked')));
    await expectAccessible(visitor);
    const ticket = (await visitor.locator('.ticket').textContent()) ?? '';
    expect(ticket).toMatch(/^V-[0-9A-Z]{7}$/);
    await visitor.context().close();

    const agent = await agentPage('en');
    await staffSignIn(site, agent, t, 'store-agent@volna.example');
    await agent.goto('/staff/counter');
    await agent.getByLabel(t('counter.search'), { exact: true }).fill(ticket.toLowerCase());
    await agent.getByRole('button', { name: t('counter.find') }).click();
    await see(agent.getByRole('heading', { name: t('counter.line.title', { number: '+7 916 111 00 72' }) }));
    await expectAccessible(agent);
    await agent.getByLabel(t('wizard.identity.docType'), { exact: true }).selectOption('passport_foreign');
    await agent.getByLabel(t('wizard.identity.docNumber'), { exact: true }).fill('FX1110071');
    await agent.getByLabel(t('reason.damaged'), { exact: true }).check();
    await agent.getByLabel(t('simType.physical'), { exact: true }).check();
    await agent.getByRole('button', { name: t('counter.check.submit') }).click();
    await see(agent.getByRole('heading', { name: /^Walk-in R-/ }));
    const [visit] = await query<{ status: string }>('select status from appointments where ticket = $1', [ticket]);
    expect(visit?.status).toBe('attended');
    await agent.context().close();
  });

  for (const [locale, msisdn, docType, docNumber] of [
    ['ru', '+79161110041', 'passport_ru', '4516 110041'],
    ['en', '+79161110071', 'passport_foreign', 'FX1110071'],
    ['zh', '+79161110101', 'passport_foreign', 'FX1110101'],
  ] as const) {
    test(`a walk-in replaced the same day in ${locale}: found, checked, paid, handed over, printed, in at most 12 page loads`, async () => {
      const t = translator(locale);
      const page = await agentPage(locale);
      let loads = 0;
      page.on('load', () => {
        loads += 1;
      });
      const started = Date.now();
      await staffSignIn(site, page, t, 'store-agent@volna.example');
      await page.getByRole('link', { name: t('staff.nav.counter') }).click();
      await expectAccessible(page);
      await page.getByLabel(t('counter.search'), { exact: true }).fill(msisdn.replace('+7', '8 '));
      await page.getByRole('button', { name: t('counter.find') }).click();
      await see(page.getByRole('button', { name: t('counter.check.submit') }));
      await expectAccessible(page);
      await page.getByLabel(t('wizard.identity.docType'), { exact: true }).selectOption(docType);
      await page.getByLabel(t('wizard.identity.docNumber'), { exact: true }).fill(docNumber);
      await page.getByLabel(t('reason.lost'), { exact: true }).check();
      await page.getByLabel(t('simType.physical'), { exact: true }).check();
      await page.getByRole('button', { name: t('counter.check.submit') }).click();
      await see(page.getByRole('button', { name: t('counter.pay.submit') }));
      await expectAccessible(page);
      await page.getByLabel(t('pay.method.card_terminal'), { exact: true }).check();
      await page.getByLabel(t('counter.pay.slip'), { exact: true }).fill('T-0042');
      await page.getByRole('button', { name: t('counter.pay.submit') }).click();
      await see(page.getByRole('button', { name: t('counter.sim.submit') }));
      await expectAccessible(page);
      const iccid = await shelfCard();
      await page.getByLabel(t('pickup.iccid'), { exact: true }).fill(iccid);
      await page.getByRole('button', { name: t('counter.sim.submit') }).click();
      await see(page.getByText(t('counter.done.title')));
      await expectAccessible(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('counter.print') }).click(),
      ]);
      const pdf = await pdfText(await readFile((await download.path()) as string));
      const subscriber = translator(
        (
          await query<{ locale: Locale }>(
            'select a.locale from accounts a join lines l on l.account_id = a.id where l.msisdn = $1',
            [msisdn],
          )
        )[0]?.locale ?? 'ru',
      );
      expect(pdf).toContain(subscriber('counterForm.signature.subscriber'));
      expect(pdf).toContain(iccid);
      expect(await statusOfLine(msisdn)).toEqual({ status: 'activated', iccid });
      expect(loads, 'page loads from sign-in to the printed form').toBeLessThanOrEqual(12);
      expect(Date.now() - started).toBeLessThan(180_000);
      await page.context().close();
    });
  }

  test('a pickup handed over at the counter, a courier delivery with the passport check, and one refused', async () => {
    const t = translator('en');
    const db = site.database.db;
    const [center] = await query<{ id: string }>("select id from service_centers where code = 'MSK-TVER'");
    const pickup = await submittedRequest(
      site.database,
      '+79161110081',
      { reason: 'not_working', delivery: 'pickup', centerId: center?.id ?? null, deliveryAddress: null },
      site.links,
    );
    await reviewRequest(db, site.links, staff.reviewer, pickup.requestId, { decision: 'approve' });
    await assignSim(db, site.links, staff.store_agent, pickup.requestId);
    await markReadyForPickup(db, site.links, staff.store_agent, pickup.requestId);
    await query("update replacement_requests set hold_until = now() - interval '1 minute' where id = $1", [
      pickup.requestId,
    ]);
    const agent = await agentPage('en');
    await staffSignIn(site, agent, t, 'store-agent@volna.example');
    await agent.goto('/staff/pickup?q=%2B79161110081');
    await agent.locator(`a[href="/staff/pickup/${pickup.requestId}"]`).click();
    // The contract's passport (demoDocument), not the scan sent online.
    await agent.getByLabel(t('wizard.identity.docNumber'), { exact: true }).fill('4516 110081');
    const [card] = await query<{ iccid: string }>(
      'select s.iccid from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
      [pickup.requestId],
    );
    await agent.getByLabel(t('pickup.iccid'), { exact: true }).fill(card?.iccid ?? '');
    await agent.getByRole('button', { name: t('pickup.handOver') }).click();
    await see(agent.getByText(t('pickup.done.title')));
    await expectAccessible(agent);
    expect((await statusOfLine('+79161110081'))?.status).toBe('activated');
    await agent.context().close();

    const parcels: string[] = [];
    for (const msisdn of ['+79161110091', '+79161110061']) {
      const { requestId } = await submittedRequest(site.database, msisdn, { reason: 'not_working' }, site.links);
      await reviewRequest(db, site.links, staff.reviewer, requestId, { decision: 'approve' });
      await assignSim(db, site.links, staff.logistics, requestId);
      await dispatchRequest(db, site.links, staff.logistics, requestId, {
        carrier: 'Own',
        trackingNumber: `OWN-${msisdn}`,
      });
      parcels.push(requestId);
    }
    const courier = await (await newContext(site, 'en')).newPage();
    await courier.setViewportSize({ width: 320, height: 640 });
    await staffSignIn(site, courier, t, 'courier@volna.example');
    await courier.goto(`/staff/courier/${parcels[0]}`);
    await courier.getByLabel(t('courier.lastDigits'), { exact: true }).fill('0091');
    await courier.getByRole('button', { name: t('courier.delivered') }).click();
    await see(courier.getByText(t('courier.done.delivered')));
    await expectAccessible(courier);
    await courier.goto(`/staff/courier/${parcels[1]}`);
    await courier.getByRole('button', { name: t('courier.refused') }).click();
    await see(courier.getByText(t('courier.done.returned')));
    expect((await statusOfLine('+79161110091'))?.status).toBe('delivered');
    expect((await statusOfLine('+79161110061'))?.status).toBe('returned');
    await courier.context().close();
  });
});
