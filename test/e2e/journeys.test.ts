import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DOCUMENT_MAX_BYTES } from '../../src/app/documents/document-content.ts';
import { assignSim, dispatchRequest, markReadyForPickup, reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { handOverPickup, markDelivered } from '../../src/app/requests/hand-over.ts';
import { DEMO_PASSWORD, DEMO_SUBSCRIBERS, demoDocument } from '../../src/app/seed/demo-subscribers.ts';
import { translator } from '../../src/i18n/translate.ts';
import { SANDBOX_3DS_CODE, SANDBOX_CARDS } from '../../src/integrations/payments/sandbox-gateway.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { browserTestsEnabled, lastMessageTo, newContext, type Site, see, seeText, startSite } from './browser.ts';
import { portalSteps } from './portal-steps.ts';

const contractDocument = (msisdn: string) => {
  const subscriber = DEMO_SUBSCRIBERS.find((s) => s.lines.some((l) => l.msisdn === msisdn));
  if (!subscriber) throw new Error(`${msisdn} is not a demo number`);
  return demoDocument(subscriber);
};

/**
 * The subscriber journeys in a real Chromium, in each language, from sign-in to a working SIM.
 * Staff steps (review, dispatch, delivery, the counter) are driven through the application layer
 * here; back-office.test.ts drives them through the staff screens. axe checks every page the
 * subscriber sees.
 */
let site: Site;
let staff: Staff;
beforeAll(async () => {
  if (!browserTestsEnabled) return;
  site = await startSite();
  staff = await demoStaff(site.database);
}, 120_000);
afterAll(async () => {
  await site?.close();
});

const {
  photo,
  visit,
  open,
  cont,
  choose,
  startWizard,
  contact,
  identity,
  sendWithCode,
  pay,
  statusOf,
  holdOver,
  reservedIccid,
  activateByIccid,
} = portalSteps(() => site);
describe.skipIf(!browserTestsEnabled)('in Chromium', () => {
  test.each([
    ['en', '+79161110021', true],
    ['ru', '+79161110001', true],
    ['zh', '+79161110011', true],
    ['en', '+79161110081', false],
  ] as const)('courier journey in %s (%s), JavaScript %s', async (locale, msisdn, js) => {
    const j = await open(locale, msisdn, js);
    const { page, t } = j;
    await startWizard(j);
    await choose(j, t('reason.lost'));
    await choose(j, t('simType.physical'));
    await page.locator('input[name="delivery"][value="courier"]').check();
    await cont(j);
    await contact(j, true);

    if (locale === 'en' && js) {
      await page.getByLabel(t('document.passport_ru'), { exact: true }).check();
      await page.getByLabel(t('wizard.identity.docNumber'), { exact: true }).fill('45 06 123456');
      await page.getByLabel(t('wizard.identity.file'), { exact: true }).setInputFiles({
        name: 'passport.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('this is not a picture'),
      });
      await cont(j);
      await seeText(page.getByRole('alert'), t('document.wrong_type'));
      expect(await page.getByLabel(t('wizard.identity.docNumber'), { exact: true }).inputValue()).toBe('45 06 123456');
      await page.getByLabel(t('wizard.identity.file'), { exact: true }).setInputFiles({
        name: 'huge.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.concat([await photo(), Buffer.alloc(DOCUMENT_MAX_BYTES)]),
      });
      await cont(j);
      await seeText(page.getByRole('alert'), t('document.too_large'));
      expect(await page.getByLabel(t('document.passport_ru'), { exact: true }).isChecked()).toBe(true);
    }
    await identity(j, { name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    const requestId = await sendWithCode(j);

    await visit(j, () => page.getByRole('link', { name: t('status.pay', { fee: '' }).trim() }).click());
    await visit(j, () => page.getByRole('button', { name: t('pay.submit', { fee: '' }).trim() }).click());
    if (locale === 'en' && js) {
      await pay(j, SANDBOX_CARDS.declined);
      await seeText(page.getByRole('alert'), t('pay.failed.card_declined'));
      await visit(j, () => page.getByRole('button', { name: t('pay.submit', { fee: '' }).trim() }).click());
    }
    await pay(j, SANDBOX_CARDS.success);
    await see(page.getByText(t('timeline.payment_succeeded')));
    expect(await statusOf(requestId)).toBe('in_review');

    await reviewRequest(site.database.db, site.links, staff.reviewer, requestId, { decision: 'approve' });
    await assignSim(site.database.db, site.links, staff.logistics, requestId);
    await dispatchRequest(site.database.db, site.links, staff.logistics, requestId, {
      carrier: 'CDEK',
      trackingNumber: `E2E${msisdn.slice(-4)}`,
    });
    if (js) {
      await page.clock.runFor(16_000);
      await see(page.getByText(`E2E${msisdn.slice(-4)}`));
    }
    await markDelivered(site.database.db, site.links, staff.logistics, requestId);
    await holdOver(requestId);
    await activateByIccid(j, requestId);
    expect(await statusOf(requestId)).toBe('activated');
    await site.worker.drain();
    expect(site.network.lines.get(msisdn)?.iccid).toBe(await reservedIccid(requestId));
    await page.context().close();
  });

  test.each([
    ['ru', '+79161110031'],
    ['en', '+79161110071'],
    ['zh', '+79161110051'],
  ] as const)(
    'pickup journey in %s: free first replacement, SIM handed over at the counter',
    async (locale, msisdn) => {
      const j = await open(locale, msisdn);
      const { page, t } = j;
      await startWizard(j);
      await choose(j, t('reason.damaged'));
      await choose(j, t('simType.physical'));
      await choose(j, t('wizard.delivery.pickup'));
      await page.locator('input[name="centerId"]').first().check();
      await cont(j);
      await contact(j, false);
      await identity(j, {
        name: 'passport.png',
        mimeType: 'image/png',
        buffer: await sharp({ create: { width: 80, height: 60, channels: 3, background: '#fff' } })
          .png()
          .toBuffer(),
      });
      await see(page.getByText(t('wizard.fee.totalFree')));
      const requestId = await sendWithCode(j);
      expect(await statusOf(requestId)).toBe('in_review');

      await reviewRequest(site.database.db, site.links, staff.reviewer, requestId, { decision: 'approve' });
      await assignSim(site.database.db, site.links, staff.logistics, requestId);
      await markReadyForPickup(site.database.db, site.links, staff.logistics, requestId);
      await visit(j, () => page.goto(`/requests/${requestId}`));
      await see(page.getByText(t('status.next.ready_for_pickup')));
      await holdOver(requestId);
      const handed = await handOverPickup(
        site.database.db,
        site.links,
        site.config.documentKey,
        staff.admin,
        requestId,
        // The contract's passport is shown at the counter, not the scan sent online.
        { iccid: await reservedIccid(requestId), ...contractDocument(msisdn) },
      );
      expect(handed.ok).toBe(true);
      await visit(j, () => page.reload());
      await see(page.getByRole('heading', { name: t('checklist.title') }));
      await page.context().close();
    },
  );

  test.each([
    ['zh', '+79161110101'],
    ['en', '+79161110041'],
    ['ru', '+79161110061'],
  ] as const)(
    'eSIM journey in %s: code shown once after the password, then the number switches over',
    async (locale, msisdn) => {
      const j = await open(locale, msisdn);
      const { page, t } = j;
      await startWizard(j);
      await choose(j, t('reason.switch_to_esim'));
      await contact(j, false);
      await identity(j, { name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await photo() });
      const requestId = await sendWithCode(j);
      await reviewRequest(site.database.db, site.links, staff.reviewer, requestId, { decision: 'approve' });
      await assignSim(site.database.db, site.links, staff.logistics, requestId);
      await holdOver(requestId);

      await visit(j, () => page.goto(`/requests/${requestId}`));
      await visit(j, () => page.getByRole('link', { name: t('status.esim') }).click());
      await page.getByLabel(t('signin.password'), { exact: true }).fill(DEMO_PASSWORD);
      await visit(j, () => page.getByRole('button', { name: t('esim.show') }).click());
      await see(page.getByRole('img', { name: t('esim.code.qr') }));
      await seeText(page.locator('code'), /^LPA:1\$smdp\.volna\.example\$VOLNA-\d+$/);
      await visit(j, () => page.getByRole('button', { name: t('esim.switch') }).click());
      await see(page.getByRole('heading', { name: t('checklist.title') }));
      await page.context().close();
    },
  );

  test('password reset by e-mail, then sign-in with the new password', async () => {
    const context = await newContext(site, 'ru');
    const page = await context.newPage();
    const j = { page, t: translator('ru'), msisdn: '+79161110111', axe: true };
    await visit(j, () => page.goto('/login'));
    await visit(j, () => page.getByRole('link', { name: j.t('signin.forgot') }).click());
    await page.getByLabel(j.t('signin.phone'), { exact: true }).fill('8 916 111 01 11');
    await page.getByLabel(j.t('forgot.channel.email'), { exact: true }).check();
    await visit(j, () => page.getByRole('button', { name: j.t('forgot.submit') }).click());
    await seeText(page.getByRole('heading', { level: 1 }), j.t('forgot.sent.title'));
    const mail = await lastMessageTo(site, 'olga.sokolova@example.ru', 'password-reset:');
    const link = new URL(mail.match(/https?:\/\/\S+/)?.[0] as string);
    await visit(j, () => page.goto(link.pathname));
    const fresh = 'зелёный трамвай идёт домой';
    await page.getByLabel(j.t('reset.password'), { exact: true }).fill(fresh);
    await page.getByLabel(j.t('reset.confirm'), { exact: true }).fill(fresh);
    await visit(j, () => page.getByRole('button', { name: j.t('reset.submit') }).click());
    await see(page.getByText(j.t('signin.notice.reset')));
    await page.getByLabel(j.t('signin.phone'), { exact: true }).fill('+79161110111');
    await page.getByLabel(j.t('signin.password'), { exact: true }).fill(fresh);
    await visit(j, () => page.getByRole('button', { name: j.t('signin.submit') }).click());
    await page.waitForURL(/\/account$/);
    await context.close();
  });

  test('3-D Secure payment, then cancel before dispatch: the fee is refunded', async () => {
    const j = await open('en', '+79161110003');
    const { page, t } = j;
    await startWizard(j);
    await choose(j, t('reason.new_size'));
    await page.locator('input[name="delivery"][value="courier"]').check();
    await cont(j);
    await contact(j, true);
    await identity(j, { name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    const requestId = await sendWithCode(j);
    await visit(j, () => page.getByRole('link', { name: t('status.pay', { fee: '' }).trim() }).click());
    await visit(j, () => page.getByRole('button', { name: t('pay.submit', { fee: '' }).trim() }).click());
    await pay(j, SANDBOX_CARDS.challenge);
    await page.getByLabel(t('sandbox.challenge.code'), { exact: true }).fill(SANDBOX_3DS_CODE);
    await visit(j, () => page.getByRole('button', { name: t('sandbox.challenge.confirm') }).click());
    await see(page.getByText(t('timeline.payment_succeeded')));

    await visit(j, () => page.getByRole('button', { name: t('status.cancel') }).click());
    await see(page.getByText(t('requestStatus.cancelled')).first());
    await site.worker.drain();
    await visit(j, () => page.reload());
    await see(page.getByText(t('paymentStatus.refunded')));
    expect(await statusOf(requestId)).toBe('cancelled');
    await page.context().close();
  });
});
