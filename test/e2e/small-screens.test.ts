import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assignSim, dispatchRequest, markReadyForPickup, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { handOverPickup, markDelivered } from '../../src/app/requests/hand-over.ts';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import { type Locale, translator } from '../../src/i18n/translate.ts';
import { SANDBOX_CARDS } from '../../src/integrations/payments/sandbox-gateway.ts';
import { readyDraft, submittedRequest } from '../support/requests.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { browserTestsEnabled, expectAccessible, lastMessageTo, type Site, staffSignIn, startSite } from './browser.ts';

/**
 * Every portal page at 320 CSS pixels, the narrowest phones still in use, in ru, en and zh: no
 * page may scroll sideways, and every radio button and checkbox sits right left of its label.
 * A screenshot of each page is kept in test-results/small-screens for people to look at.
 */
const WIDTH = 320;
const SHOTS = join(process.cwd(), 'test-results', 'small-screens');
let site: Site;
let staff: Staff;
beforeAll(async () => {
  if (!browserTestsEnabled) return;
  site = await startSite();
  staff = await demoStaff(site.database);
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);
afterAll(async () => {
  await site?.close();
});

type Layout = { overflow: number; misplaced: string[] };

/** How far the page scrolls sideways, and the choices whose control is not right left of the label. */
const measure = (page: Page): Promise<Layout> =>
  page.evaluate(() => {
    const misplaced: string[] = [];
    for (const input of document.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]')) {
      const label = document.querySelector<HTMLLabelElement>(`label[for="${input.id}"]`);
      const box = input.getBoundingClientRect();
      const text = label?.getBoundingClientRect();
      const beside =
        text !== undefined &&
        box.right <= text.left + 1 &&
        text.left - box.right < 24 &&
        Math.abs(box.top - text.top) < 16;
      if (!beside) misplaced.push(input.id || input.name);
    }
    return { overflow: document.documentElement.scrollWidth - window.innerWidth, misplaced };
  });

const problems: string[] = [];

/** English last, so the page is left in the language the test reads it in. */
const IN_TURN: Locale[] = ['ru', 'zh', 'en'];

/** Loads `url` in each language and records what does not fit. */
async function check(page: Page, name: string, url = page.url()) {
  for (const locale of IN_TURN) {
    await setLanguage(page.context(), locale);
    await page.goto(url);
    await record(page, name, locale);
  }
}

async function record(page: Page, name: string, locale: Locale) {
  const { overflow, misplaced } = await measure(page);
  if (overflow > 0) problems.push(`${locale} ${name}: ${overflow}px wider than the screen`);
  if (misplaced.length) problems.push(`${locale} ${name}: ${misplaced.join(', ')} not left of its label`);
  await page.screenshot({ path: join(SHOTS, `${locale}-${name}.png`), fullPage: true });
}

const setLanguage = (context: BrowserContext, locale: Locale) =>
  context.addCookies([{ name: 'lang', value: locale, url: site.url }]);

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await site.browser.newContext({
    baseURL: site.url,
    viewport: { width: WIDTH, height: 640 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
  });
  return { context, page: await context.newPage() };
}

const en = translator('en');
const photo = () =>
  sharp({ create: { width: 300, height: 200, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();

async function signIn(page: Page, msisdn: string) {
  await setLanguage(page.context(), 'en');
  await page.goto('/login');
  await page.getByLabel(en('signin.phone'), { exact: true }).fill(msisdn);
  await page.getByLabel(en('signin.password'), { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: en('signin.submit') }).click();
  await page.waitForURL(/\/account$/);
}

const cont = (page: Page) => page.getByRole('button', { name: en('wizard.continue') }).click();
const requestOf = async (msisdn: string) =>
  (
    await site.database.raw.query<{ id: string }>(
      `select r.id from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = $1
        order by r.created_at desc limit 1`,
      [msisdn],
    )
  )[0]?.id as string;
const iccidOf = async (requestId: string) =>
  (
    await site.database.raw.query<{ iccid: string }>(
      'select s.iccid from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
      [requestId],
    )
  )[0]?.iccid as string;
const holdOver = (requestId: string) =>
  site.database.raw.query(`update replacement_requests set hold_until = now() - interval '1 minute' where id = $1`, [
    requestId,
  ]);

describe.skipIf(!browserTestsEnabled)(`every portal page at ${WIDTH} px`, () => {
  test('public pages, sign-in and password reset', async () => {
    const { context, page } = await phone();
    await check(page, 'home', '/');
    await check(page, 'faq', '/faq');
    await check(page, 'centers', '/centers');
    await expectAccessible(page);
    await check(page, 'center', '/centers/VVO-SVET');
    await expectAccessible(page);
    await check(page, 'sign-in', '/login');
    await check(page, 'forgot-password', '/password/forgot');
    await check(page, 'not-found', '/no/such/page');
    for (const locale of IN_TURN) {
      const t = translator(locale);
      await setLanguage(context, locale);
      await page.goto('/login');
      await page.getByRole('button', { name: t('signin.submit') }).click();
      await record(page, 'sign-in-errors', locale);
      await page.goto('/password/forgot');
      await page.getByLabel(t('signin.phone'), { exact: true }).fill('+79161110001');
      await page.getByLabel(t('forgot.channel.sms'), { exact: true }).check();
      await page.getByRole('button', { name: t('forgot.submit') }).click();
      await record(page, 'reset-code', locale);
    }
    await setLanguage(context, 'en');
    await page.goto('/password/forgot');
    await page.getByLabel(en('signin.phone'), { exact: true }).fill('+79161110111');
    await page.getByLabel(en('forgot.channel.email'), { exact: true }).check();
    await page.getByRole('button', { name: en('forgot.submit') }).click();
    await record(page, 'reset-sent', 'en');
    const link = (await lastMessageTo(site, 'olga.sokolova@example.ru', 'password-reset:')).match(
      /https?:\/\/\S+/,
    )?.[0];
    await check(page, 'new-password', new URL(link as string).pathname);
    await check(page, 'reset-link-invalid', '/password/reset/not-a-token');
    await context.close();
  });

  test('the account, settings and blocking a line', async () => {
    const { context, page } = await phone();
    await signIn(page, '+79161110071');
    await page.getByRole('button', { name: `${en('account.block')} +7 916 111 00 72`, exact: true }).click();
    await check(page, 'account', '/account');
    const unblock = await page
      .getByRole('link', { name: `${en('account.unblock')} +7 916 111 00 72` })
      .getAttribute('href');
    await check(page, 'unblock', unblock as string);
    await check(page, 'settings', '/account/settings');
    const draft = await readyDraft(site.database, '+79161110071');
    await check(page, 'wizard-contact-courier', `/requests/${draft.requestId}/contact`);
    for (const locale of IN_TURN) {
      const t = translator(locale);
      await setLanguage(context, locale);
      await page.goto('/account/settings');
      await page.getByLabel(t('settings.email.new'), { exact: true }).fill(`new-${locale}@example.com`);
      await page.getByLabel(t('signin.password'), { exact: true }).first().fill(DEMO_PASSWORD);
      await page
        .getByRole('button', { name: t('settings.sendCode') })
        .first()
        .click();
      await record(page, 'settings-confirm', locale);
    }
    await context.close();
  });

  test('the replacement wizard, payment, review and activation', async () => {
    const { context, page } = await phone();
    const msisdn = '+79161110001';
    await signIn(page, msisdn);
    await page.getByRole('button', { name: `${en('account.replace')} +7 916 111 00 01`, exact: true }).click();
    await page.waitForURL(/\/reason$/);
    await check(page, 'wizard-reason');
    await page.getByLabel(en('reason.lost'), { exact: true }).check();
    await cont(page);
    await check(page, 'wizard-sim-type');
    await page.getByLabel(en('simType.physical'), { exact: true }).check();
    await cont(page);
    await check(page, 'wizard-delivery');
    await page.getByLabel(en('wizard.delivery.pickup'), { exact: true }).check();
    await cont(page);
    await check(page, 'wizard-center');
    await page.locator('input[name="centerId"]').first().check();
    await cont(page);
    await check(page, 'wizard-contact');
    await page.getByLabel(en('wizard.contact.name'), { exact: true }).fill('Иванова Анна Сергеевна');
    await page.getByLabel(en('wizard.contact.phone'), { exact: true }).fill(msisdn);
    await cont(page);
    await check(page, 'wizard-identity');
    await cont(page);
    await record(page, 'wizard-identity-errors', 'en');
    await page.getByLabel(en('document.passport_ru'), { exact: true }).check();
    await page.getByLabel(en('wizard.identity.docNumber'), { exact: true }).fill('45 06 123456');
    await page
      .getByLabel(en('wizard.identity.file'), { exact: true })
      .setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await cont(page);
    await check(page, 'wizard-check');
    await page.getByRole('button', { name: en('wizard.submitAndPay') }).click();
    await page.waitForURL(/\/confirm/);
    await check(page, 'wizard-confirm');
    const code = (await lastMessageTo(site, 'anna.ivanova@example.ru', 'second-factor:')).match(/\b\d{6}\b/)?.[0];
    await page.getByLabel(en('confirm.code'), { exact: true }).fill(code as string);
    await page.getByRole('button', { name: en('wizard.submit') }).click();
    await page.waitForURL(/submitted=1/);
    await check(page, 'status-submitted');
    const requestId = await requestOf(msisdn);
    await check(page, 'pay', `/requests/${requestId}/pay`);
    await page.getByRole('button', { name: en('pay.submit', { fee: '' }).trim() }).click();
    await page.waitForURL(/\/sandbox\/pay\//);
    await check(page, 'sandbox-card');
    await page.getByLabel(en('sandbox.card.number'), { exact: true }).fill(SANDBOX_CARDS.challenge);
    await page.getByLabel(en('sandbox.card.expiry'), { exact: true }).fill('12/35');
    await page.getByLabel(en('sandbox.card.cvc'), { exact: true }).fill('123');
    await page.getByRole('button', { name: en('sandbox.pay') }).click();
    await page.waitForURL(/\/3ds$/);
    await check(page, 'sandbox-3ds');
    await page.getByLabel(en('sandbox.challenge.code'), { exact: true }).fill('123456');
    await page.getByRole('button', { name: en('sandbox.challenge.confirm') }).click();
    await page.waitForURL(new RegExp(`/requests/${requestId}$`));
    await check(page, 'status-in-review');

    const db = site.database.db;
    await reviewRequest(db, site.links, staff.reviewer, requestId, { decision: 'request_info', note: 'Blurred' });
    await check(page, 'status-needs-info');
    await page.getByRole('button', { name: en('moreInfo.submit') }).click();
    await record(page, 'status-needs-info-errors', 'en');
    await page.getByLabel(en('document.passport_ru'), { exact: true }).check();
    await page.getByLabel(en('wizard.identity.docNumber'), { exact: true }).fill('45 06 123456');
    await page
      .getByLabel(en('wizard.identity.file'), { exact: true })
      .setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await page.getByRole('button', { name: en('moreInfo.submit') }).click();
    await reviewRequest(db, site.links, staff.reviewer, requestId, { decision: 'approve' });
    await assignSim(db, site.links, staff.logistics, requestId);
    await markReadyForPickup(db, site.links, staff.logistics, requestId);
    await check(page, 'status-ready-for-pickup', `/requests/${requestId}`);
    await holdOver(requestId);
    // At the counter the contract's passport is shown (demoDocument), not the scan sent online.
    const handed = await handOverPickup(db, site.links, site.config.documentKey, staff.admin, requestId, {
      iccid: await iccidOf(requestId),
      docType: 'passport_ru',
      docNumber: '4516 110001',
    });
    expect(handed.ok).toBe(true);
    await check(page, 'status-activated', `/requests/${requestId}`);
    await check(page, 'mailbox', '/dev/mailbox');
    await context.close();
  });

  test('courier address, activation by ICCID, the eSIM code, a refusal and "This wasn\'t me"', async () => {
    const { context, page } = await phone();
    const courier = await submittedRequest(site.database, '+79161110021', { reason: 'not_working' }, site.links);
    const db = site.database.db;
    await reviewRequest(db, site.links, staff.reviewer, courier.requestId, { decision: 'approve' });
    await assignSim(db, site.links, staff.logistics, courier.requestId);
    await dispatchRequest(db, site.links, staff.logistics, courier.requestId, {
      carrier: 'CDEK',
      trackingNumber: 'T1',
    });
    await markDelivered(db, site.links, staff.logistics, courier.requestId);
    await signIn(page, '+79161110021');
    await check(page, 'status-delivered', `/requests/${courier.requestId}`);
    await check(page, 'activate', `/requests/${courier.requestId}/activate`);

    const esim = await submittedRequest(
      site.database,
      '+79161110041',
      { reason: 'switch_to_esim', simType: 'esim', delivery: 'esim', zoneId: null, deliveryAddress: null },
      site.links,
    );
    await reviewRequest(db, site.links, staff.reviewer, esim.requestId, { decision: 'approve' });
    await assignSim(db, site.links, staff.logistics, esim.requestId);
    await page.context().clearCookies();
    await signIn(page, '+79161110041');
    await check(page, 'esim', `/requests/${esim.requestId}/esim`);

    await page.goto('/account');
    await page.getByRole('button', { name: en('lock.turnOn') }).click();
    for (const locale of IN_TURN) {
      await setLanguage(context, locale);
      await page.goto('/account');
      await page.getByRole('button', { name: `${translator(locale)('account.replace')} +7 916 111 00 42` }).click();
      await record(page, 'ineligible', locale);
    }

    const notMe = await submittedRequest(site.database, '+79161110061', {}, site.links);
    const link = (await lastMessageTo(site, 'a.kuznetsov@example.ru', `request-submitted:${notMe.requestId}`)).match(
      /https?:\/\/\S+/,
    )?.[0];
    await check(page, 'wasnt-me', new URL(link as string).pathname);
    await context.close();
  });

  test('staff sign-in: password, authenticator enrolment, staff home; each page passes axe', async () => {
    const { context, page } = await phone();
    await check(page, 'staff-sign-in', '/staff');
    await expectAccessible(page);
    for (const locale of IN_TURN) {
      const t = translator(locale);
      await setLanguage(context, locale);
      await page.goto('/staff');
      await page.getByRole('button', { name: t('staff.signIn.continue') }).click();
      await record(page, 'staff-sign-in-errors', locale);
    }
    await page.getByLabel(en('staff.email'), { exact: true }).fill('store-agent@volna.example');
    await page.getByLabel(en('signin.password'), { exact: true }).fill(DEMO_STAFF_PASSWORD);
    await page.getByRole('button', { name: en('staff.signIn.continue') }).click();
    await check(page, 'staff-totp-enrolment', '/staff/totp');
    await expectAccessible(page);
    const code = await generate({ secret: DEMO_STAFF_TOTP_SECRET });
    await page.getByLabel(en('staff.totp.code'), { exact: true }).fill(code);
    await page.getByRole('button', { name: en('staff.totp.submit') }).click();
    await page.waitForURL(/\/staff\/home$/);
    await check(page, 'staff-home', '/staff/home');
    await expectAccessible(page);
    await context.close();
  });

  test('the review queue and a request under review, each page passing axe', async () => {
    const { requestId } = await submittedRequest(site.database, '+79161110101', {
      reason: 'switch_to_esim',
      simType: 'esim',
      delivery: 'esim',
      deliveryAddress: null,
    });
    await site.database.raw.query(
      "update replacement_requests set risk_score = 85, risk_signals = '{contacts_changed_recently,name_mismatch}' where id = $1",
      [requestId],
    );
    const { page } = await phone();
    await staffSignIn(site, page, en, 'reviewer@volna.example');
    await check(page, 'staff-review-queue', '/staff/review');
    await expectAccessible(page);
    await check(page, 'staff-review-case', `/staff/review/${requestId}`);
    await expectAccessible(page);
    await page.getByRole('button', { name: en('review.reject') }).click();
    await record(page, 'staff-review-errors', 'en');
    await expectAccessible(page);
    await page.getByRole('button', { name: en('review.approve') }).click();
    await page.waitForURL(/done=/);
    await record(page, 'staff-review-approved', 'en');
    await page.context().close();
  });

  test('the logistics list with requests to reserve, dispatch and deliver, passing axe', async () => {
    for (const msisdn of ['+79161110031', '+79161110091']) {
      const { requestId } = await submittedRequest(site.database, msisdn, { reason: 'not_working' }, site.links);
      await reviewRequest(site.database.db, site.links, staff.reviewer, requestId, { decision: 'approve' });
    }
    const { page } = await phone();
    await staffSignIn(site, page, en, 'logistics@volna.example');
    await check(page, 'staff-logistics', '/staff/logistics');
    await expectAccessible(page);
    await page
      .getByRole('button', { name: en('logistics.reserve') })
      .first()
      .click();
    await page.waitForURL(/done=/);
    await record(page, 'staff-logistics-reserved', 'en');
    await expectAccessible(page);
    await check(page, 'staff-inventory', '/staff/inventory?iccid=8970100000000000017');
    await expectAccessible(page);
    await page.context().close();
  });

  test('the audit log for administrators, passing axe', async () => {
    const { page } = await phone();
    await staffSignIn(site, page, en, 'admin@volna.example');
    await check(page, 'staff-audit', '/staff/audit');
    await expectAccessible(page);
    await check(page, 'staff-audit-filtered', '/staff/audit?action=staff.&from=2026-01-01');
    await page.context().close();
  });

  test('pickup at the counter: the list, the hand-over form and a refused document, passing axe', async () => {
    const db = site.database.db;
    const [center] = await site.database.raw.query<{ id: string }>(
      "select id from service_centers where code = 'MSK-TVER'",
    );
    const { requestId } = await submittedRequest(
      site.database,
      '+79161110081',
      { reason: 'not_working', delivery: 'pickup', centerId: center?.id ?? null, deliveryAddress: null },
      site.links,
    );
    await reviewRequest(db, site.links, staff.reviewer, requestId, { decision: 'approve' });
    await assignSim(db, site.links, staff.store_agent, requestId);
    await markReadyForPickup(db, site.links, staff.store_agent, requestId);
    const { page } = await phone();
    await staffSignIn(site, page, en, 'store-agent@volna.example');
    await check(page, 'staff-pickup-list', '/staff/pickup');
    await expectAccessible(page);
    await check(page, 'staff-pickup', `/staff/pickup/${requestId}`);
    await expectAccessible(page);
    await page.getByLabel(en('wizard.identity.docNumber'), { exact: true }).fill('1111 222222');
    await page.getByLabel(en('pickup.iccid'), { exact: true }).fill(await iccidOf(requestId));
    await page.getByRole('button', { name: en('pickup.handOver') }).click();
    await record(page, 'staff-pickup-refused', 'en');
    await expectAccessible(page);
    await page.context().close();
  });

  test('"Use my location" sorts the centers by distance, with the browser\'s position', async () => {
    const context = await site.browser.newContext({
      baseURL: site.url,
      viewport: { width: WIDTH, height: 640 },
      geolocation: { latitude: 43.12, longitude: 131.89 },
      permissions: ['geolocation'],
    });
    await setLanguage(context, 'en');
    const page = await context.newPage();
    await page.goto('/centers');
    await page.getByRole('button', { name: en('centers.locate') }).click();
    await page.waitForURL(/lat=43\.12/);
    expect(await page.locator('.line-card h3').first().textContent()).toBe('Volna Svetlanskaya');
    await record(page, 'centers-located', 'en');
    await context.close();
  });

  test("the courier's round on a phone: the list, the door check and a refused document, passing axe", async () => {
    const db = site.database.db;
    const { requestId } = await submittedRequest(site.database, '+79161110051', { reason: 'not_working' }, site.links);
    await reviewRequest(db, site.links, staff.reviewer, requestId, { decision: 'approve' });
    await assignSim(db, site.links, staff.logistics, requestId);
    await dispatchRequest(db, site.links, staff.logistics, requestId, { carrier: 'Own', trackingNumber: 'OWN-320' });
    const { page } = await phone();
    await staffSignIn(site, page, en, 'courier@volna.example');
    await check(page, 'staff-courier-list', '/staff/courier');
    await expectAccessible(page);
    await check(page, 'staff-courier-delivery', `/staff/courier/${requestId}`);
    await expectAccessible(page);
    await page.getByLabel(en('courier.lastDigits'), { exact: true }).fill('0000');
    await page.getByRole('button', { name: en('courier.delivered') }).click();
    await record(page, 'staff-courier-refused', 'en');
    await expectAccessible(page);
    await page.context().close();
  });

  test('booking a visit and its ticket, in each language, passing axe', async () => {
    const { page } = await phone();
    await check(page, 'visit-book', '/centers/MSK-TVER/book');
    await expectAccessible(page);
    await page.getByRole('button', { name: en('visit.sendCode') }).click();
    await record(page, 'visit-book-errors', 'en');
    await expectAccessible(page);
    await page.locator('input[name=startsAt]:not([disabled])').first().check();
    await page.getByLabel(en('visit.name'), { exact: true }).fill('Li Wei');
    await page.getByLabel(en('visit.phone'), { exact: true }).fill('+7 999 000-55-01');
    await page.getByRole('button', { name: en('visit.sendCode') }).click();
    await record(page, 'visit-code', 'en');
    await expectAccessible(page);
    const sms = await lastMessageTo(site, '+79990005501', 'visit-code');
    await page.getByLabel(en('visit.code'), { exact: true }).fill(sms.match(/\d{6}/)?.[0] ?? '');
    await page.getByRole('button', { name: en('visit.submit') }).click();
    await page.waitForURL(/\/visits\//);
    await check(page, 'visit-ticket');
    await expectAccessible(page);
    await page.context().close();
  });

  test('the counter on a phone: search, the passport check, payment, the card and the done page, passing axe', async () => {
    const { page } = await phone();
    await staffSignIn(site, page, en, 'store-agent@volna.example');
    await check(page, 'staff-counter', '/staff/counter');
    await expectAccessible(page);
    await page.getByLabel(en('counter.search'), { exact: true }).fill('+7 916 111-00-11');
    await page.getByRole('button', { name: en('counter.find') }).click();
    await page.waitForURL(/\/staff\/counter\/lines\//);
    await check(page, 'staff-counter-line');
    await expectAccessible(page);
    await page.getByLabel(en('wizard.identity.docNumber'), { exact: true }).fill('FX0000000');
    await page.getByLabel(en('reason.lost'), { exact: true }).check();
    await page.getByRole('button', { name: en('counter.check.submit') }).click();
    await record(page, 'staff-counter-mismatch', 'en');
    await expectAccessible(page);
    await page.getByLabel(en('wizard.identity.docType'), { exact: true }).selectOption('passport_foreign');
    await page.getByLabel(en('wizard.identity.docNumber'), { exact: true }).fill('FX1110011');
    await page.getByRole('button', { name: en('counter.check.submit') }).click();
    await page.waitForURL(/\/staff\/counter\/requests\//);
    await check(page, 'staff-counter-payment');
    await expectAccessible(page);
    await page.getByRole('button', { name: en('counter.pay.submit') }).click();
    await check(page, 'staff-counter-card');
    await expectAccessible(page);
    await page.getByLabel(en('pickup.iccid'), { exact: true }).fill('8970100000000000000');
    await page.getByRole('button', { name: en('counter.sim.submit') }).click();
    await record(page, 'staff-counter-card-refused', 'en');
    await expectAccessible(page);
    const [card] = await site.database.raw.query<{ iccid: string }>(
      `select s.iccid from sims s join service_centers c on c.id = s.center_id
        where c.code = 'MSK-TVER' and s.status = 'in_stock' and s.form_factor <> 'esim' order by s.iccid limit 1`,
    );
    await page.getByLabel(en('pickup.iccid'), { exact: true }).fill(card?.iccid ?? '');
    await page.getByRole('button', { name: en('counter.sim.submit') }).click();
    await check(page, 'staff-counter-done');
    await expectAccessible(page);
    await page.context().close();
  });

  test("the platform administrator's operators, passing axe", async () => {
    const { page } = await phone();
    await staffSignIn(site, page, en, 'platform-admin@volna.example');
    await check(page, 'staff-platform', '/staff/platform');
    await expectAccessible(page);
    await page.context().close();
  });

  test('operator administration and reports at 320 px, passing axe', async () => {
    const { page } = await phone();
    await staffSignIn(site, page, en, 'admin@volna.example');
    const [center] = await site.database.raw.query<{ id: string }>(
      "select id from service_centers where code = 'MSK-TVER'",
    );
    for (const [name, url] of [
      ['staff-settings', '/staff/settings'],
      ['staff-settings-fees', '/staff/settings/fees'],
      ['staff-settings-zones', '/staff/settings/zones'],
      ['staff-settings-centers', '/staff/settings/centers'],
      ['staff-settings-center', `/staff/settings/centers/${center?.id}`],
      ['staff-settings-faq', '/staff/settings/faq'],
      ['staff-team', '/staff/team'],
      ['staff-reports', '/staff/reports'],
      ['staff-network', '/staff/network'],
      ['staff-partners', '/staff/partners'],
      ['staff-refunds', '/staff/refunds'],
      ['staff-frozen', '/staff/frozen'],
      ['staff-webhooks', '/staff/webhooks'],
      ['staff-password', '/staff/password'],
    ] as const) {
      await check(page, name, url);
      await expectAccessible(page);
    }
    await page.goto('/staff/settings');
    await page.getByLabel(en('admin.policy.swapHoldMinutes'), { exact: true }).fill('soon');
    await page.getByRole('button', { name: en('admin.save') }).click();
    await record(page, 'staff-settings-refused', 'en');
    await expectAccessible(page);
    await page.context().close();
  });

  test('API clients for administrators: create one, its secret once, passing axe', async () => {
    const { page } = await phone();
    await staffSignIn(site, page, en, 'admin@volna.example');
    await check(page, 'staff-api-clients', '/staff/api-clients');
    await expectAccessible(page);
    await page.getByLabel(en('apiClients.name'), { exact: true }).fill('Bank of the Volga');
    await page.getByLabel(`${en('apiClients.scope.sim-swap')} sim-swap`, { exact: true }).check();
    await page.getByRole('button', { name: en('apiClients.create') }).click();
    await record(page, 'staff-api-client-created', 'en');
    await expectAccessible(page);
    await page.context().close();
  });

  test('every page fits and every choice sits beside its label', () => {
    expect(problems).toEqual([]);
  });
});
