import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { identityDocuments } from '../../db/schema/requests.ts';
import type { DocumentType } from '../../domain/replacement.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { type DocumentStorage, StorageUnavailable } from '../../integrations/storage/document-storage.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { type DraftDocument, lockOwnRequest, ownRequest, type SubscriberActor } from '../requests/replacement-draft.ts';
import { keyId, openSecret, sealBytes, sealSecret } from '../secret-box.ts';
import { cleanDocument, type DocumentProblem } from './document-content.ts';
import type { PdfRenderer } from './pdf-renderer.ts';

/** Where documents are kept (sealed under `key`) and how uploaded PDFs are turned into images. */
export type Vault = { storage: DocumentStorage; key: Buffer; pdf: PdfRenderer };
export type DocumentInput = { docType: DocumentType; docNumber: string; file: Buffer | null };

/** What the identity page shows again: the type and number typed, and whether a scan is on file. */
export type SavedDocument = { docType: DocumentType; docNumber: string; uploaded: boolean };

/** A saved document as the identity page shows it again, its number unsealed. */
export function openDocument(vault: Vault, row: DraftDocument | null): SavedDocument | null {
  if (!row) return null;
  return {
    docType: row.docType,
    docNumber: openSecret(vault.key, row.numberEncrypted, row.id),
    uploaded: row.storageKey !== null,
  };
}

const acceptsDocument = (request: { status: string } | null | undefined) =>
  request?.status === 'draft' || request?.status === 'needs_info';

/**
 * Stores the identity page of a draft, or a new scan when review asked for one. The type and number are kept even when the file is
 * refused, so the subscriber only has to choose the file again. A new scan replaces the old
 * one, which is deleted from storage once the database no longer points at it.
 */
export async function saveIdentityDocument(
  db: Db,
  vault: Vault,
  actor: SubscriberActor,
  requestId: string,
  input: DocumentInput,
  now = new Date(),
): Promise<Result<SavedDocument, DocumentProblem | 'draft.not_found'>> {
  // Whose draft it is is settled before any work on the file, which can take seconds.
  if (!acceptsDocument((await ownRequest(db, actor, requestId))?.request)) return err('draft.not_found');
  const cleaned = input.file ? await cleanDocument(input.file, vault.pdf, actor.accountId) : null;
  const file = cleaned?.ok ? cleaned.value : null;
  let putKey: string | null = null;
  const write = db.transaction(async (tx) => {
    // The request is locked while its document is saved: two uploads at once write one document,
    // and a submission waits for the document it will score.
    if (!acceptsDocument(await lockOwnRequest(tx, actor, requestId))) return null;
    const [operator] = await tx
      .select({ retentionDays: operators.documentRetentionDays })
      .from(operators)
      .where(eq(operators.id, actor.operatorId));
    const [previous] = await tx
      .select()
      .from(identityDocuments)
      .where(and(eq(identityDocuments.requestId, requestId), eq(identityDocuments.accountId, actor.accountId)))
      .for('update');
    const id = previous?.id ?? randomUUID();
    const storageKey = file ? `${actor.operatorId}/${id}-${now.getTime()}` : (previous?.storageKey ?? null);
    if (file) {
      putKey = storageKey;
      await vault.storage.put(storageKey as string, sealBytes(vault.key, file.content, id));
    }
    const values = {
      docType: input.docType,
      numberEncrypted: sealSecret(vault.key, input.docNumber, id),
      keyId: keyId(vault.key),
      purgeAfter: new Date(now.getTime() + (operator?.retentionDays ?? 30) * 86_400_000),
      ...(file && {
        storageKey,
        contentType: file.contentType,
        sizeBytes: file.content.length,
        sha256: createHash('sha256').update(file.content).digest('hex'),
      }),
    };
    if (previous) await tx.update(identityDocuments).set(values).where(eq(identityDocuments.id, id));
    else
      await tx.insert(identityDocuments).values({
        id,
        operatorId: actor.operatorId,
        accountId: actor.accountId,
        requestId,
        createdAt: now,
        ...values,
      });
    if (file)
      await appendAudit(
        tx,
        {
          operatorId: actor.operatorId,
          actorKind: 'subscriber',
          actorId: actor.accountId,
          action: 'document.upload',
          targetKind: 'identity_document',
          targetId: id,
          ip: actor.ip,
          data: { contentType: file.contentType, sizeBytes: file.content.length },
        },
        now,
      );
    return { replaced: file && previous?.storageKey ? previous.storageKey : null, uploaded: storageKey !== null };
  });
  // A file written for a transaction that did not commit belongs to nothing: remove it.
  const written = await write.catch(async (error: unknown) => {
    // When the store is down the delete fails too; the maintenance sweep removes such files later.
    if (putKey) await vault.storage.delete(putKey).catch(() => {});
    if (error instanceof StorageUnavailable) return 'unavailable' as const;
    throw error;
  });
  if (written === 'unavailable') return err('document.storage_unavailable');
  if (!written) return err('draft.not_found');
  if (written.replaced) await vault.storage.delete(written.replaced);
  if (cleaned && !cleaned.ok) return err(cleaned.error);
  return ok({ docType: input.docType, docNumber: input.docNumber, uploaded: written.uploaded });
}
