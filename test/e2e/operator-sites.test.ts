import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import { type Translate, translator } from '../../src/i18n/translate.ts';
import { SANDBOX_CARDS } from '../../src/integrations/payments/sandbox-gateway.ts';
import { submittedRequest } from '../support/requests.ts';
import {
  browserTestsEnabled,
  expectAccessible,
  lastMessageTo,
  newContext,
  type Site,
  see,
  seeText,
  startSite,
} from './browser.ts';

/**
 * Each demo brand on its own host name: every absolute link a subscriber is sent (password
 * reset, "This wasn't me", the payment gateway's way back) leads to that brand's site, and
 * works there in the browser. Volna also answers on 127.0.0.1, a host other than its first.
 */
let site: Site;
beforeAll(async () => {
  if (!browserTestsEnabled) return;
  site = await startSite();
}, 120_000);
afterAll(async () => {
  await site?.close();
});

const BRANDS = [
  {
    operator: 'volna',
    host: 'localhost',
    name: 'Volna Mobile',
    reset: { phone: '+79161110021', email: 'john.smith@example.com' },
    notMe: { phone: '+79161110051', email: 'wang.fang@example.cn' },
    /** Volna's second host name: paying from it must come back to it. */
    pay: { host: '127.0.0.1', phone: '+79161110031' },
  },
  {
    operator: 'sever',
    host: 'sever.localhost',
    name: 'Sever Telecom',
    reset: { phone: '+79222220001', email: 'sergey.volkov@example.ru' },
    notMe: { phone: '+79222220031', email: 'a.morozov@example.ru' },
    pay: { host: 'sever.localhost', phone: '+79222220051' },
  },
] as const;
type Brand = (typeof BRANDS)[number];

const origin = (host: string) => `http://${host}:${new URL(site.url).port}`;
const linkIn = (text: string) => new URL(text.match(/https?:\/\/\S+/)?.[0] as string);

async function brandPage(
  brand: Brand,
  host: string = brand.host,
): Promise<{ context: BrowserContext; page: Page; t: Translate }> {
  const context = await newContext(site, 'en', true, origin(host));
  return { context, page: await context.newPage(), t: translator('en') };
}

async function signIn(page: Page, t: Translate, phone: string) {
  await page.goto('/login');
  await page.getByLabel(t('signin.phone'), { exact: true }).fill(phone);
  await page.getByLabel(t('signin.password'), { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: t('signin.submit') }).click();
  await page.waitForURL(/\/account$/);
}

describe.skipIf(!browserTestsEnabled)('each brand on its own host', () => {
  test.each(BRANDS)(
    '$operator: the password reset e-mail links to its own site, and the link works there',
    async (brand) => {
      const { context, page, t } = await brandPage(brand);
      await page.goto('/password/forgot');
      await page.getByLabel(t('signin.phone'), { exact: true }).fill(brand.reset.phone);
      await page.getByLabel(t('forgot.channel.email'), { exact: true }).check();
      await page.getByRole('button', { name: t('forgot.submit') }).click();
      await seeText(page.getByRole('heading', { level: 1 }), t('forgot.sent.title'));

      const link = linkIn(await lastMessageTo(site, brand.reset.email, 'password-reset:'));
      expect(link.origin).toBe(origin(brand.host));
      await page.goto(link.href);
      await expect(page.title()).resolves.toContain(brand.name);
      const fresh = 'a long and fresh pass phrase';
      await page.getByLabel(t('reset.password'), { exact: true }).fill(fresh);
      await page.getByLabel(t('reset.confirm'), { exact: true }).fill(fresh);
      await page.getByRole('button', { name: t('reset.submit') }).click();
      await see(page.getByText(t('signin.notice.reset')));
      await expectAccessible(page);
      await context.close();
    },
  );

  test.each(BRANDS)(
    '$operator: "This wasn\'t me" in the notice links to its own site and freezes the request',
    async (brand) => {
      const { requestId } = await submittedRequest(site.database, brand.notMe.phone, {}, site.links);
      const link = linkIn(await lastMessageTo(site, brand.notMe.email, `request-submitted:${requestId}`));
      expect(link.origin).toBe(origin(brand.host));
      const { context, page, t } = await brandPage(brand);
      await page.goto(link.href);
      await expect(page.title()).resolves.toContain(brand.name);
      await page.getByRole('button', { name: t('wasntMe.confirm.button') }).click();
      await seeText(page.getByRole('heading', { level: 1 }), t('wasntMe.done.title'));
      const [row] = await site.database.raw.query<{ status: string }>(
        'select status from replacement_requests where id = $1',
        [requestId],
      );
      expect(row?.status).toBe('frozen');
      await context.close();
    },
  );

  test.each(BRANDS)('$operator: paying the fee on $pay.host comes back to the same site', async (brand) => {
    const { host, phone } = brand.pay;
    const { requestId } = await submittedRequest(site.database, phone, {}, site.links);
    const { context, page, t } = await brandPage(brand, host);
    await signIn(page, t, phone);
    await page.goto(`/requests/${requestId}`);
    await page.getByRole('link', { name: t('status.pay', { fee: '' }).trim() }).click();
    await page.getByRole('button', { name: t('pay.submit', { fee: '' }).trim() }).click();
    await page.waitForURL(`${origin(host)}/sandbox/pay/**`);
    await page.getByLabel(t('sandbox.card.number'), { exact: true }).fill(SANDBOX_CARDS.success);
    await page.getByLabel(t('sandbox.card.expiry'), { exact: true }).fill('12/35');
    await page.getByLabel(t('sandbox.card.cvc'), { exact: true }).fill('123');
    await page.getByRole('button', { name: t('sandbox.pay') }).click();
    await page.waitForURL(`${origin(host)}/requests/${requestId}`);
    await see(page.getByText(t('timeline.payment_succeeded')));
    await expect(page.title()).resolves.toContain(brand.name);
    await context.close();
  });
});
