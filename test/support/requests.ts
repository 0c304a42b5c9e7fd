import sharp from 'sharp';
import { saveIdentityDocument, type Vault } from '../../src/app/documents/identity-document.ts';
import { type PdfRenderer, pdfRenderer } from '../../src/app/documents/pdf-renderer.ts';
import type { Links } from '../../src/app/operators/links.ts';
import { type SubscriberActor, saveAnswers, startReplacement } from '../../src/app/requests/replacement-draft.ts';
import { submitReplacement } from '../../src/app/requests/submit-replacement.ts';
import type { Database } from '../../src/db/client.ts';
import type { DraftAnswers } from '../../src/domain/replacement-wizard.ts';
import type { DocumentStorage } from '../../src/integrations/storage/document-storage.ts';
import { LocalStorage } from '../../src/integrations/storage/local-storage.ts';
import { testConfig, testLinks } from './test-config.ts';

export const passportPhoto = () =>
  sharp({ create: { width: 60, height: 40, channels: 3, background: '#357' } })
    .jpeg()
    .toBuffer();

let renderer: PdfRenderer | undefined;

/** The test configuration's document vault, with one PDF worker pool shared by the test file. */
export function testVault(storage: DocumentStorage = new LocalStorage(testConfig.documentsDir)): Vault {
  renderer ??= pdfRenderer({ threads: 1 });
  return { storage, key: testConfig.documentKey, pdf: renderer };
}

/**
 * A complete draft for the line, made through the application layer as the wizard makes it:
 * courier to the operator's first zone unless `answers` say otherwise. Only the second factor
 * and the submission are left.
 */
export async function readyDraft(
  database: Database,
  msisdn: string,
  answers: Partial<DraftAnswers> = {},
  vault: Vault = testVault(),
): Promise<{ requestId: string; actor: SubscriberActor }> {
  const [line] = await database.raw.query<{ id: string; operator_id: string; account_id: string; full_name: string }>(
    `select l.id, l.operator_id, l.account_id, a.full_name from lines l join accounts a on a.id = l.account_id
      where l.msisdn = $1`,
    [msisdn],
  );
  if (!line) throw new Error(`no line ${msisdn}`);
  const actor = { operatorId: line.operator_id, accountId: line.account_id, ip: '127.0.0.1' };
  const started = await startReplacement(database.db, actor, line.id);
  if (!started.ok) throw new Error(`cannot start: ${started.error.reason}`);
  const requestId = started.value.requestId;
  const saved = await saveAnswers(database.db, actor, requestId, {
    reason: 'lost',
    simType: 'physical',
    delivery: 'courier',
    contactName: line.full_name,
    contactPhone: msisdn,
    deliveryAddress: { city: 'Москва', street: 'Тверская', building: '1' },
    ...answers,
  });
  if (!saved.ok) throw new Error(`cannot save answers: ${saved.error}`);
  const document = await saveIdentityDocument(database.db, vault, actor, requestId, {
    docType: 'passport_ru',
    docNumber: '4506 123456',
    file: await passportPhoto(),
  });
  if (!document.ok) throw new Error(`cannot save the document: ${document.error}`);
  return { requestId, actor };
}

/** A submitted online request for the line (see `readyDraft`). */
export async function submittedRequest(
  database: Database,
  msisdn: string,
  answers: Partial<DraftAnswers> = {},
  links: Links = testLinks,
): Promise<{ requestId: string; actor: SubscriberActor }> {
  const { requestId, actor } = await readyDraft(database, msisdn, answers);
  const submitted = await submitReplacement(database.db, links, testConfig.documentKey, actor, requestId);
  if (!submitted.ok) throw new Error(`cannot submit: ${submitted.error}`);
  return { requestId, actor };
}
