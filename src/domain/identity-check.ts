import type { DocumentType } from './replacement.ts';

export type ShownDocument = { docType: DocumentType; docNumber: string };

/** Letters and digits only, upper case: "45 06 123456", "4506-123456" and "4506123456" are one number. */
const canonical = (docNumber: string) => docNumber.toLocaleUpperCase('ru').replace(/[^\p{L}\d]/gu, '');

/**
 * Whether the document a person shows at the counter is the one on file: same type and the same
 * number however it is spaced. An empty number never matches.
 */
export function sameDocument(shown: ShownDocument, onFile: ShownDocument): boolean {
  const number = canonical(shown.docNumber);
  return number.length > 0 && shown.docType === onFile.docType && number === canonical(onFile.docNumber);
}
