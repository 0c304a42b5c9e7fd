import type { CounterCase } from '../../app/counter/counter-views.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import { formatDateTime, type MessageKey, type Translate } from '../../i18n/translate.ts';
import { drawReceipt, labelled, pdfDocument } from '../shared/receipt-pdf.ts';

/**
 * What the counter prints, in the subscriber's language: the application for the replacement
 * with the subscriber's details and lines for both signatures, then the receipt.
 */
export function renderCounterPdf(served: CounterCase, t: Translate): Promise<Buffer> {
  const operatorName = served.operator.name[t.locale];
  const { doc, done } = pdfDocument(t('counterForm.title', { reference: served.reference }), operatorName, t);
  const zone = served.operator.timeZone;
  const row = (label: string, value: string) => labelled(doc, label, value);

  doc.fontSize(18).text(operatorName).moveDown(0.2);
  doc
    .fontSize(14)
    .text(t('counterForm.title', { reference: served.reference }))
    .moveDown(1);
  row(t('counterForm.subscriber'), served.payer);
  row(t('receipt.number'), formatMsisdn(served.msisdn));
  if (served.document)
    row(
      t('counterForm.document'),
      `${t(`document.${served.document.docType}` as MessageKey)} ${served.document.docNumber}`,
    );
  if (served.reason) row(t('counterForm.reason'), t(`reason.${served.reason}` as MessageKey));
  if (served.simType) row(t('counterForm.simType'), t(`simType.${served.simType}` as MessageKey));
  if (served.iccid) row(t('counterForm.iccid'), served.iccid);
  row(t('counterForm.center'), `${served.center.name[t.locale]}, ${served.center.address[t.locale]}`);
  row(t('counterForm.date'), formatDateTime(t.locale, served.activatedAt ?? served.submittedAt, zone));
  doc.moveDown(0.5).fontSize(10).fillColor('#000').text(t('counterForm.statement')).moveDown(2);
  const signature = (label: string, name: string) => {
    doc.fontSize(11).text(`${label}: ____________________________   ${name}`).moveDown(1.5);
  };
  signature(t('counterForm.signature.subscriber'), served.payer);
  signature(t('counterForm.signature.agent'), served.agent);

  doc.addPage();
  drawReceipt(doc, served, t);
  doc.end();
  return done;
}
