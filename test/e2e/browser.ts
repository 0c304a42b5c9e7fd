import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Links, operatorLinks } from '../../src/app/operators/links.ts';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import type { Config } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import type { Translate } from '../../src/i18n/translate.ts';
import { CarrierSimulator } from '../../src/integrations/carrier/carrier-simulator.ts';
import { developerMailbox } from '../../src/integrations/email/developer-mailbox.ts';
import { SandboxGateway } from '../../src/integrations/payments/sandbox-gateway.ts';
import { ProvisioningSimulator } from '../../src/integrations/provisioning/simulator.ts';
import { allHandlers } from '../../src/jobs/handlers.ts';
import { type OutboxWorker, outboxWorker } from '../../src/jobs/outbox-worker.ts';
import { buildApp } from '../../src/web/app.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';

/** Debian's Chromium: the binary itself, or the wrapper script. */
export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(
  (p): p is string => Boolean(p && existsSync(p)),
);
/** Browser tests run wherever Chromium is installed, and must run in CI (which installs it). */
export const browserTestsEnabled = Boolean(CHROMIUM || process.env.CI);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

export type Site = {
  url: string;
  config: Config;
  links: Links;
  app: FastifyInstance;
  database: Database;
  worker: OutboxWorker;
  gateway: SandboxGateway;
  carrier: CarrierSimulator;
  network: ProvisioningSimulator;
  browser: Browser;
  close(): Promise<void>;
};

/**
 * The whole product on a real port with the demo data, its outbox worker, and a headless
 * Chromium; `now` fixes the clock of the pages that tell the time (the center finder, bookings).
 */
export async function startSite(options: { now?: () => Date } = {}): Promise<Site> {
  if (!CHROMIUM) throw new Error('Chromium is not installed: apt-get install chromium (CI installs it)');
  const port = await freePort();
  const config: Config = { ...testConfig, port, publicUrl: `http://127.0.0.1:${port}` };
  const database = await seededDatabase();
  const gateway = new SandboxGateway({
    db: database.db,
    webhookSecret: config.paymentWebhookSecret,
    webhookRetryMs: [50, 200],
  });
  const carrier = new CarrierSimulator({
    db: database.db,
    webhookSecret: 'carrier-secret-of-the-browser-tests-0123456789',
    webhookRetryMs: [50, 200],
  });
  const network = new ProvisioningSimulator();
  const links = operatorLinks(config.publicUrl, config.sessionSecret);
  const worker = outboxWorker({
    db: database.db,
    handlers: allHandlers({
      db: database.db,
      links,
      provisioning: network,
      mailer: developerMailbox,
      sms: developerMailbox,
      gateway,
      smdp: null,
      documentKey: config.documentKey,
      partners: config.partners,
    }),
  });
  const app = await buildApp({
    config,
    database,
    logger: false,
    gateway,
    carrier,
    onOutboxWrite: worker.kick,
    ...options,
  });
  await app.listen({ host: '127.0.0.1', port });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    url: config.publicUrl,
    config,
    links,
    app,
    database,
    worker,
    gateway,
    carrier,
    network,
    browser,
    close: async () => {
      await browser.close();
      await gateway.flushWebhooks();
      await carrier.flushNotifications();
      await app.close();
      await worker.stop();
      await database.close();
    },
  };
}

/**
 * A fresh browser profile in the given language, with or without JavaScript; the language is
 * also chosen on the site, as a person does with the switch, so it wins over the account's.
 */
export async function newContext(
  site: Site,
  locale: 'ru' | 'en' | 'zh',
  javaScriptEnabled = true,
  origin = site.url,
): Promise<BrowserContext> {
  const context = await site.browser.newContext({
    baseURL: origin,
    locale: { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' }[locale],
    extraHTTPHeaders: { 'accept-language': locale },
    javaScriptEnabled,
  });
  await context.addCookies([{ name: 'lang', value: locale, url: origin }]);
  return context;
}

/** axe-core on the page as it is now: any WCAG 2.1 A/AA violation fails the test, named. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    violations.map(
      (v) => `${new URL(page.url()).pathname}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
  ).toEqual([]);
}

/** The latest code or link text sent to this address or phone, read from the outbox. */
export async function lastMessageTo(site: Site, to: string, keyPrefix: string): Promise<string> {
  const [message] = await site.database.raw.query<{ text: string }>(
    `select payload->>'text' text from outbox where payload->>'to' = $1 and idempotency_key like $2 || '%'
      order by id desc limit 1`,
    [to, keyPrefix],
  );
  if (!message) throw new Error(`no message to ${to} (${keyPrefix})`);
  return message.text;
}

/** Waits until the element is shown, as a person would; fails after the timeout. */
export async function see(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Waits for the element, then checks its text. */
export async function seeText(locator: Locator, text: string | RegExp): Promise<void> {
  await see(locator);
  const actual = (await locator.first().textContent()) ?? '';
  if (typeof text === 'string') expect(actual).toContain(text);
  else expect(actual).toMatch(text);
}

/** Signs a demo staff member in through both steps, in the page's language. */
export async function staffSignIn(site: Site, page: Page, t: Translate, email: string) {
  await site.database.raw.query('update staff_users set totp_last_step = null where email = $1', [email]);
  await page.goto('/staff');
  await page.getByLabel(t('staff.email'), { exact: true }).fill(email);
  await page.getByLabel(t('signin.password'), { exact: true }).fill(DEMO_STAFF_PASSWORD);
  await page.getByRole('button', { name: t('staff.signIn.continue') }).click();
  await page.getByLabel(t('staff.totp.code'), { exact: true }).fill(await generate({ secret: DEMO_STAFF_TOTP_SECRET }));
  await page.getByRole('button', { name: t('staff.totp.submit') }).click();
  await page.waitForURL(/\/staff\/home$/);
}
