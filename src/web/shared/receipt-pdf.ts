import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { Receipt } from '../../app/payments/receipt.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import { formatDateTime, type Translate } from '../../i18n/translate.ts';

/** One font for Latin, Cyrillic and Chinese (Noto Sans SC, SIL Open Font License); the PDF embeds only the glyphs it uses. */
const FONT = fileURLToPath(new URL('./fonts/NotoSansSC-Regular.ttf', import.meta.url));

/** Amounts with the currency code: the font has no ruble sign, and a code reads the same in any language. */
const money = (t: Translate, minor: number, currency: string) =>
  new Intl.NumberFormat(t.locale === 'zh' ? 'zh-CN' : t.locale === 'ru' ? 'ru-RU' : 'en-GB', {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
  }).format(minor / 100);

/** An A4 document in the reader's language, and the bytes it will have once ended. */
export function pdfDocument(title: string, author: string, t: Translate) {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Author: author }, lang: t.locale });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font(FONT);
  return { doc, done };
}

/** A label above its value, as on a printed form. */
export function labelled(doc: PDFKit.PDFDocument, label: string, value: string) {
  doc.fontSize(10).fillColor('#555').text(label, { continued: false });
  doc.fontSize(12).fillColor('#000').text(value).moveDown(0.5);
}

/** The request's confirmation and receipt as a PDF, in the reader's language. */
export function renderReceiptPdf(receipt: Receipt, t: Translate): Promise<Buffer> {
  const { doc, done } = pdfDocument(
    t('receipt.title', { reference: receipt.reference }),
    receipt.operator.name[t.locale],
    t,
  );
  drawReceipt(doc, receipt, t);
  doc.end();
  return done;
}

/** The receipt itself: the fee's items, the total and the payment that settled it. */
export function drawReceipt(doc: PDFKit.PDFDocument, receipt: Receipt, t: Translate) {
  const zone = receipt.operator.timeZone;
  const row = (label: string, value: string) => labelled(doc, label, value);
  doc.fillColor('#000');
  doc.fontSize(18).text(receipt.operator.name[t.locale]).moveDown(0.2);
  doc
    .fontSize(14)
    .text(t('receipt.title', { reference: receipt.reference }))
    .moveDown(1);
  row(t('receipt.reference'), receipt.reference);
  row(t('receipt.number'), formatMsisdn(receipt.msisdn));
  row(t('receipt.payer'), receipt.payer);
  row(t('receipt.submitted'), formatDateTime(t.locale, receipt.submittedAt, zone));
  doc.moveDown(0.5).fontSize(12).text(t('receipt.items')).moveDown(0.3);
  for (const item of receipt.items) {
    const label =
      item.kind === 'delivery'
        ? t('receipt.item.delivery')
        : t(item.waived ? 'receipt.item.waived' : 'receipt.item.replacement');
    doc.fontSize(11).text(`${label}: ${money(t, item.amountMinor, receipt.currency)}`);
  }
  doc
    .moveDown(0.5)
    .fontSize(13)
    .text(t('receipt.total', { total: money(t, receipt.totalMinor, receipt.currency) }));
  doc.moveDown(1);
  const { payment } = receipt;
  if (payment) {
    const card = payment.cardLast4 ? ` ${t('receipt.card', { last4: payment.cardLast4 })}` : '';
    row(t('receipt.method'), `${t(`pay.method.${payment.method}`)}${card}`);
    if (payment.succeededAt) row(t('receipt.paidAt'), formatDateTime(t.locale, payment.succeededAt, zone));
    if (payment.providerRef) row(t('receipt.transaction'), payment.providerRef);
    row(t('receipt.status'), t(`paymentStatus.${payment.status}`));
  } else if (receipt.totalMinor > 0) {
    row(t('receipt.status'), t('receipt.unpaid'));
  }
  doc.moveDown(1).fontSize(9).fillColor('#555');
  doc.text(t('receipt.fiscal'));
  doc.text(
    t('layout.support', { phone: formatMsisdn(receipt.operator.supportPhone), email: receipt.operator.supportEmail }),
  );
}
