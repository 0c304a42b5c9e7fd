import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { luhnCheckDigit } from '../../src/domain/luhn.ts';
import { type Translate, translator } from '../../src/i18n/translate.ts';
import { submittedRequest } from '../support/requests.ts';
import {
  browserTestsEnabled,
  expectAccessible,
  newContext,
  type Site,
  see,
  seeText,
  staffSignIn,
  startSite,
} from './browser.ts';
import { portalSteps } from './portal-steps.ts';

/**
 * The operator's half in Chromium, axe on every staff page: a request sent in the portal is
 * approved by a reviewer, booked with the carrier by logistics, delivered by the carrier's
 * signed notice and activated by the subscriber; a high-risk request needs two reviewers; a
 * rejection refunds and the subscriber reads the reason; more information is asked for and
 * sent; a stock file with a bad row is uploaded from the browser.
 */
let site: Site;
beforeAll(async () => {
  if (!browserTestsEnabled) return;
  site = await startSite();
}, 120_000);
afterAll(async () => {
  await site?.close();
});

const steps = portalSteps(() => site);
const en = translator('en');
const query = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  site.database.raw.query<T>(sql, params);

/** A staff member signed in on a desktop-sized page; every page they open is checked with axe. */
async function staffPage(email: string): Promise<Page> {
  const page = await (await newContext(site, 'en')).newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await staffSignIn(site, page, en, email);
  return page;
}
async function go(page: Page, action: () => Promise<unknown>) {
  await action();
  await page.waitForLoadState('load');
  await expectAccessible(page);
}
const openCase = async (page: Page, reference: string) => {
  await go(page, () => page.goto('/staff/review'));
  await go(page, () => page.getByRole('link', { name: reference, exact: true }).click());
};
const referenceOf = async (id: string) =>
  (await query<{ reference: string }>('select reference from replacement_requests where id = $1', [id]))[0]
    ?.reference as string;
const subscriberPage = async (msisdn: string, t: Translate = en) => {
  const j = await steps.open(t.locale, msisdn);
  return j;
};

describe.skipIf(!browserTestsEnabled)('the back office in Chromium', () => {
  test('portal request → reviewer → logistics books the carrier → signed delivery notice → subscriber activates', async () => {
    const msisdn = '+79161110021';
    const j = await subscriberPage(msisdn);
    const requestId = await steps.paidCourierRequest(j);
    const reference = await referenceOf(requestId);

    const reviewer = await staffPage('reviewer@volna.example');
    await openCase(reviewer, reference);
    await see(reviewer.getByRole('img', { name: en('review.document.alt') }));
    await go(reviewer, () => reviewer.getByRole('button', { name: en('review.approve') }).click());
    await seeText(reviewer.getByRole('status'), en('review.done.approved'));

    await steps.holdOver(requestId);
    const logistics = await staffPage('logistics@volna.example');
    await go(logistics, () => logistics.goto('/staff/logistics'));
    const card = logistics.getByRole('listitem').filter({ hasText: reference });
    await go(logistics, () => card.getByRole('button', { name: en('logistics.reserve') }).click());
    await go(logistics, () =>
      logistics
        .getByRole('listitem')
        .filter({ hasText: reference })
        .getByRole('button', { name: en('logistics.book', { carrier: 'simpost' }) })
        .click(),
    );
    await seeText(logistics.getByRole('status'), en('logistics.done.dispatched'));
    const [parcel] = await query<{ tracking: string }>(
      'select tracking_number tracking from shipments where request_id = $1',
      [requestId],
    );
    // The carrier delivers on its own word only where the operator has no passport check at the door.
    await query("update operators set courier_passport_check = false where slug = 'volna'");
    for (const event of ['in_transit', 'out_for_delivery', 'delivered'] as const)
      await site.carrier.advance(parcel?.tracking as string, event);
    await site.carrier.flushNotifications();
    expect(await steps.statusOf(requestId)).toBe('delivered');

    await steps.activateByIccid(j, requestId);
    expect(await steps.statusOf(requestId)).toBe('activated');
    await site.worker.drain();
    expect(site.network.lines.get(msisdn)?.iccid).toBe(await steps.reservedIccid(requestId));
  });

  test('a high-risk request needs a second, different reviewer', async () => {
    const { requestId } = await submittedRequest(site.database, '+79161110031', { reason: 'stolen' });
    await query(
      "update replacement_requests set four_eyes = true, risk_score = 85, status = 'in_review', paid_at = now() where id = $1",
      [requestId],
    );
    const reference = await referenceOf(requestId);
    const reviewer = await staffPage('reviewer@volna.example');
    await go(reviewer, () => reviewer.goto('/staff/review?risk=high'));
    await see(reviewer.getByRole('listitem').filter({ hasText: reference }).getByText(en('review.highRisk')));
    await openCase(reviewer, reference);
    await go(reviewer, () => reviewer.getByRole('button', { name: en('review.approve') }).click());
    await seeText(reviewer.getByRole('status'), en('review.done.second_review'));
    await go(reviewer, () => reviewer.getByRole('button', { name: en('review.approve') }).click());
    await see(reviewer.getByText(en('review.refused.same_reviewer')));
    expect(await steps.statusOf(requestId)).toBe('second_review');

    const second = await staffPage('admin@volna.example');
    await openCase(second, reference);
    await go(second, () => second.getByRole('button', { name: en('review.approve') }).click());
    await seeText(second.getByRole('status'), en('review.done.approved'));
    expect(await steps.statusOf(requestId)).toBe('approved');
  });

  test('a rejection refunds the fee and the subscriber reads the reason', async () => {
    const msisdn = '+79161110041';
    const j = await subscriberPage(msisdn);
    const requestId = await steps.paidCourierRequest(j);

    const reviewer = await staffPage('reviewer@volna.example');
    await openCase(reviewer, await referenceOf(requestId));
    await go(reviewer, () => reviewer.getByRole('button', { name: en('review.reject') }).click());
    await see(reviewer.getByText(en('review.reason_missing')));
    const reason = 'The photo of the passport is unreadable.';
    await reviewer.getByLabel(en('review.reject.reason'), { exact: true }).fill(reason);
    await go(reviewer, () => reviewer.getByRole('button', { name: en('review.reject') }).click());
    await seeText(reviewer.getByRole('status'), en('review.done.rejected'));

    await site.worker.drain();
    await site.gateway.flushWebhooks();
    const [payment] = await query<{ status: string }>('select status from payments where request_id = $1', [requestId]);
    expect(payment?.status).toBe('refunded');
    await steps.visit(j, () => j.page.goto(`/requests/${requestId}`));
    await see(j.page.getByText(reason));
  });

  test('more information: the reviewer asks with a note, the subscriber sends a new document, the request is back in review', async () => {
    const { requestId } = await submittedRequest(site.database, '+79161110051', { reason: 'damaged' });
    await query("update replacement_requests set status = 'in_review' where id = $1", [requestId]);
    const reviewer = await staffPage('reviewer@volna.example');
    await openCase(reviewer, await referenceOf(requestId));
    const note = 'Please send the page with your photo, in colour.';
    await reviewer.getByLabel(en('review.info.note'), { exact: true }).fill(note);
    await go(reviewer, () => reviewer.getByRole('button', { name: en('review.info') }).click());
    await seeText(reviewer.getByRole('status'), en('review.done.needs_info'));

    const j = await subscriberPage('+79161110051');
    const { page: portal, t } = j;
    await steps.visit(j, () => portal.goto(`/requests/${requestId}`));
    await see(portal.getByText(note).first());
    await portal.getByLabel(t('document.passport_ru'), { exact: true }).check();
    await portal.getByLabel(t('wizard.identity.docNumber'), { exact: true }).fill('45 06 123456');
    await portal
      .getByLabel(t('wizard.identity.file'), { exact: true })
      .setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await steps.photo() });
    await steps.visit(j, () => portal.getByRole('button', { name: t('moreInfo.submit') }).click());
    expect(await steps.statusOf(requestId)).toBe('in_review');
    await go(reviewer, () => reviewer.goto('/staff/review'));
    await see(reviewer.getByRole('link', { name: await referenceOf(requestId), exact: true }));
  });

  test('a stock file uploaded in the browser: the bad row is named by its line, the good ones are in stock', async () => {
    const logistics = await staffPage('logistics@volna.example');
    await go(logistics, () => logistics.goto('/staff/inventory'));
    const iccid = (n: number) => {
      const body = `897019900000000001${n}`;
      return `${body}${luhnCheckDigit(body)}`;
    };
    const csv = [
      'iccid,imsi,form_factor,center',
      `${iccid(1)},250990000000101,triple,MSK-TVER`,
      `${iccid(2)},250990000000102,triple,NOWHERE`,
      `${iccid(3)},250990000000103,triple,`,
    ].join('\n');
    await logistics
      .getByLabel(en('stockImport.file'), { exact: true })
      .setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await go(logistics, () => logistics.getByRole('button', { name: en('stockImport.upload') }).click());
    await see(logistics.getByText(en('stockImport.done', { imported: 2 })));
    await see(logistics.getByText(`Line 3: ${en('inventory.unknown_center')}`));
    const imported = await query<{ iccid: string }>(
      "select iccid from sims where imsi like '2509900000001%' order by iccid",
    );
    expect(imported.map((s) => s.iccid)).toEqual([iccid(1), iccid(3)]);
  });
});
