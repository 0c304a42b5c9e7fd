import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { identityDocuments, replacementRequests } from '../../db/schema/requests.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { DocumentProblem } from '../documents/document-content.ts';
import { type DocumentInput, saveIdentityDocument, type Vault } from '../documents/identity-document.ts';
import { transact } from '../transact.ts';
import type { SubscriberActor } from './replacement-draft.ts';
import { applyRequestEvent } from './request-transitions.ts';
import { requestParties, scoreRequest } from './submit-replacement.ts';

/**
 * The subscriber answers a reviewer's request for more information with a new scan of the
 * document; the request goes back to the review queue.
 */
export async function provideInformation(
  db: Db,
  vault: Vault,
  actor: SubscriberActor,
  requestId: string,
  input: DocumentInput & { file: Buffer },
  now = new Date(),
): Promise<Result<null, DocumentProblem | 'request.not_found' | 'request.changed'>> {
  const saved = await saveIdentityDocument(db, vault, actor, requestId, input, now);
  if (!saved.ok) return err(saved.error === 'draft.not_found' ? 'request.not_found' : saved.error);
  return transact(db, async (tx) => {
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(
        and(
          eq(replacementRequests.id, requestId),
          eq(replacementRequests.accountId, actor.accountId),
          eq(replacementRequests.status, 'needs_info'),
        ),
      )
      .for('update');
    if (!request) return err('request.changed' as const);
    const row = await requestParties(tx, actor.accountId, request.lineId);
    const [document] = await tx.select().from(identityDocuments).where(eq(identityDocuments.requestId, request.id));
    if (!row) return err('request.changed' as const);
    // The new scan is scored again; four eyes, once needed, stays needed.
    const { risk, fourEyes } = await scoreRequest(tx, vault.key, {
      ...row,
      requestId: request.id,
      contactName: request.contactName ?? '',
      document: document ?? null,
      now,
    });
    const applied = await applyRequestEvent(
      tx,
      request,
      { type: 'info_provided' },
      { kind: 'subscriber', id: actor.accountId },
      now,
      { infoRequest: null, riskScore: risk.score, riskSignals: risk.signals, fourEyes: request.fourEyes || fourEyes },
      { riskScore: risk.score, signals: risk.signals },
    );
    return applied.ok ? ok(null) : err('request.changed' as const);
  });
}
