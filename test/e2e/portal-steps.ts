import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import { formatMsisdn } from '../../src/domain/msisdn.ts';
import { type Locale, type Translate, translator } from '../../src/i18n/translate.ts';
import { SANDBOX_CARDS } from '../../src/integrations/payments/sandbox-gateway.ts';
import { expectAccessible, lastMessageTo, newContext, type Site, see, seeText } from './browser.ts';

/**
 * What a subscriber does in the portal, step by step in Chromium (axe on every page they see
 * with JavaScript on), shared by the journeys and the back-office tests. `site` is read when a
 * step runs, since the site starts in the tests' setup.
 */
export function portalSteps(site: () => Site) {
  const photo = () =>
    sharp({ create: { width: 300, height: 200, channels: 3, background: '#468' } })
      .jpeg()
      .toBuffer();

  async function visit(j: Journey, action: () => Promise<unknown>) {
    await action();
    await j.page.waitForLoadState('load');
    if (j.axe) await expectAccessible(j.page);
  }

  async function open(locale: Locale, msisdn: string, javaScriptEnabled = true): Promise<Journey> {
    const context = await newContext(site(), locale, javaScriptEnabled);
    const page = await context.newPage();
    if (javaScriptEnabled) await page.clock.install();
    const j = { page, t: translator(locale), msisdn, axe: javaScriptEnabled };
    await visit(j, () => page.goto('/login'));
    await page.getByLabel(j.t('signin.phone')).fill(formatMsisdn(msisdn).replace('+7 ', '8 '));
    await page.getByLabel(j.t('signin.password')).fill(DEMO_PASSWORD);
    await visit(j, () => page.getByRole('button', { name: j.t('signin.submit') }).click());
    await seeText(page.getByRole('heading', { level: 1 }), j.t('account.hello', { name: '' }).trim());
    return j;
  }

  const cont = (j: Journey) => visit(j, () => j.page.getByRole('button', { name: j.t('wizard.continue') }).click());
  const choose = async (j: Journey, label: string) => {
    await j.page.getByLabel(label, { exact: true }).check();
    await cont(j);
  };

  async function startWizard(j: Journey) {
    const name = `${j.t('account.replace')} ${formatMsisdn(j.msisdn)}`;
    await visit(j, () => j.page.getByRole('button', { name, exact: true }).click());
    await seeText(j.page.getByRole('heading', { level: 1 }), j.t('wizard.reason.title'));
  }

  async function contact(j: Journey, courier: boolean) {
    const name = (
      await site().database.raw.query<{ full_name: string }>(
        'select a.full_name from accounts a join lines l on l.account_id = a.id where l.msisdn = $1',
        [j.msisdn],
      )
    )[0]?.full_name as string;
    await j.page.getByLabel(j.t('wizard.contact.name'), { exact: true }).fill(name);
    await j.page.getByLabel(j.t('wizard.contact.phone'), { exact: true }).fill(j.msisdn);
    if (courier) {
      await j.page.getByLabel(j.t('wizard.address.city'), { exact: true }).fill('Казань');
      await j.page.getByLabel(j.t('wizard.address.street'), { exact: true }).fill('ул. Баумана');
      await j.page.getByLabel(j.t('wizard.address.building'), { exact: true }).fill('5');
    }
    await cont(j);
  }

  async function identity(j: Journey, file: { name: string; mimeType: string; buffer: Buffer }) {
    await j.page.getByLabel(j.t('document.passport_ru'), { exact: true }).check();
    await j.page.getByLabel(j.t('wizard.identity.docNumber'), { exact: true }).fill('45 06 123456');
    await j.page.getByLabel(j.t('wizard.identity.file'), { exact: true }).setInputFiles(file);
    await cont(j);
  }

  /** From "Check your answers" through the second factor to the confirmation page. */
  async function sendWithCode(j: Journey) {
    await seeText(j.page.getByRole('heading', { level: 1 }), j.t('wizard.check.title'));
    const submit = j.page.getByRole('button', {
      name: new RegExp(`^(${j.t('wizard.submit')}|${j.t('wizard.submitAndPay')})$`),
    });
    await visit(j, () => submit.click());
    const [contacts] = await site().database.raw.query<{ email: string | null; second_phone: string | null }>(
      'select a.email, a.second_phone from accounts a join lines l on l.account_id = a.id where l.msisdn = $1',
      [j.msisdn],
    );
    const text = await lastMessageTo(site(), (contacts?.email ?? contacts?.second_phone) as string, 'second-factor:');
    await j.page.getByLabel(j.t('confirm.code'), { exact: true }).fill(text.match(/\b\d{6}\b/)?.[0] as string);
    await visit(j, () => j.page.getByRole('button', { name: j.t('wizard.submit') }).click());
    await seeText(j.page.getByRole('heading', { level: 1 }), j.t('status.submitted.title'));
    return requestOf(j.msisdn);
  }

  async function requestOf(msisdn: string): Promise<string> {
    const [row] = await site().database.raw.query<{ id: string }>(
      `select r.id from replacement_requests r join lines l on l.id = r.line_id where l.msisdn = $1
        order by r.created_at desc limit 1`,
      [msisdn],
    );
    return row?.id as string;
  }

  async function pay(j: Journey, card: string) {
    await visit(j, () => j.page.getByLabel(j.t('sandbox.card.number'), { exact: true }).fill(card));
    await j.page.getByLabel(j.t('sandbox.card.expiry'), { exact: true }).fill('12/35');
    await j.page.getByLabel(j.t('sandbox.card.cvc'), { exact: true }).fill('123');
    await visit(j, () => j.page.getByRole('button', { name: j.t('sandbox.pay') }).click());
  }

  const statusOf = async (requestId: string) =>
    (
      await site().database.raw.query<{ status: string }>('select status from replacement_requests where id = $1', [
        requestId,
      ])
    )[0]?.status;
  const holdOver = (requestId: string) =>
    site().database.raw.query(
      `update replacement_requests set hold_until = now() - interval '1 minute' where id = $1`,
      [requestId],
    );
  const reservedIccid = async (requestId: string) =>
    (
      await site().database.raw.query<{ iccid: string }>(
        'select s.iccid from sims s join replacement_requests r on r.sim_id = s.id where r.id = $1',
        [requestId],
      )
    )[0]?.iccid as string;

  /** A lost card asked for by courier, its passport uploaded, sent with the e-mailed code and paid by card. */
  async function paidCourierRequest(j: Journey): Promise<string> {
    await startWizard(j);
    await choose(j, j.t('reason.lost'));
    await choose(j, j.t('simType.physical'));
    await j.page.locator('input[name="delivery"][value="courier"]').check();
    await cont(j);
    await contact(j, true);
    await identity(j, { name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    const requestId = await sendWithCode(j);
    await visit(j, () => j.page.getByRole('link', { name: j.t('status.pay', { fee: '' }).trim() }).click());
    await visit(j, () => j.page.getByRole('button', { name: j.t('pay.submit', { fee: '' }).trim() }).click());
    await pay(j, SANDBOX_CARDS.success);
    await see(j.page.getByText(j.t('timeline.payment_succeeded')));
    return requestId;
  }

  async function activateByIccid(j: Journey, requestId: string) {
    await visit(j, () => j.page.goto(`/requests/${requestId}`));
    await visit(j, () => j.page.getByRole('link', { name: j.t('status.activate') }).click());
    await j.page.getByLabel(j.t('activate.iccid'), { exact: true }).fill(await reservedIccid(requestId));
    await visit(j, () => j.page.getByRole('button', { name: j.t('activate.submit') }).click());
    await see(j.page.getByRole('heading', { name: j.t('checklist.title') }));
  }

  return {
    photo,
    visit,
    open,
    cont,
    choose,
    startWizard,
    contact,
    identity,
    sendWithCode,
    requestOf,
    pay,
    statusOf,
    holdOver,
    reservedIccid,
    paidCourierRequest,
    activateByIccid,
  };
}

export type Journey = { page: Page; t: Translate; msisdn: string; axe: boolean };
