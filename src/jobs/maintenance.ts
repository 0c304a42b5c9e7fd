import { and, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { purgeIdempotencyKeys } from '../app/api/idempotency-keys.ts';
import { appendAudit } from '../app/audit/audit-log.ts';
import { sendVisitReminders } from '../app/centers/visit-messages.ts';
import { purgeUnconfirmedVisits } from '../app/centers/visits.ts';
import { dropSpentAllowances } from '../app/limits/allowances.ts';
import type { Links } from '../app/operators/links.ts';
import { reconcilePayments } from '../app/payments/payments.ts';
import type { Db } from '../db/client.ts';
import { identityDocuments, replacementRequests } from '../db/schema/requests.ts';
import { outbox } from '../db/schema/system.ts';
import { TERMINAL_STATUSES } from '../domain/request-machine.ts';
import type { PaymentGateway } from '../integrations/payments/payment-gateway.ts';
import type { DocumentStorage } from '../integrations/storage/document-storage.ts';
import { timedJob } from './timed-job.ts';

/** Delivered messages keep who they went to, but not their text (codes, links) past this. */
const MESSAGE_TEXT_HOURS = 24;
const BATCH = 100;

/**
 * Destroys identity documents past the operator's retention period (152-FZ): the file is
 * deleted from storage, the number wiped, and a destruction record written to the audit log.
 * A document of a request still open is kept until the request ends.
 */
export async function purgeExpiredDocuments(db: Db, storage: DocumentStorage, now = new Date()): Promise<number> {
  let purged = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const due = await tx
        .select({
          id: identityDocuments.id,
          operatorId: identityDocuments.operatorId,
          storageKey: identityDocuments.storageKey,
        })
        .from(identityDocuments)
        .leftJoin(replacementRequests, eq(replacementRequests.id, identityDocuments.requestId))
        .where(
          and(
            isNull(identityDocuments.purgedAt),
            lte(identityDocuments.purgeAfter, now),
            or(isNull(replacementRequests.id), inArray(replacementRequests.status, [...TERMINAL_STATUSES])),
          ),
        )
        .limit(BATCH)
        .for('update', { of: identityDocuments, skipLocked: true });
      for (const document of due) {
        if (document.storageKey) await storage.delete(document.storageKey);
        await tx
          .update(identityDocuments)
          .set({ storageKey: null, numberEncrypted: 'purged', purgedAt: now })
          .where(eq(identityDocuments.id, document.id));
        await appendAudit(
          tx,
          {
            operatorId: document.operatorId,
            actorKind: 'system',
            actorId: 'retention',
            action: 'document.purged',
            targetKind: 'identity_document',
            targetId: document.id,
          },
          now,
        );
      }
      return due.length;
    });
    purged += done;
    if (done < BATCH) return purged;
  }
}

/** A file must be this old before it counts as orphaned: its transaction has long ended. */
const ORPHAN_AFTER_MS = 3_600_000;

/**
 * Deletes document files no record points to: a scan is written to storage before its
 * transaction commits, and a process killed in between leaves the file behind. Returns how many.
 */
export async function sweepOrphanDocuments(db: Db, storage: DocumentStorage, now = new Date()): Promise<number> {
  let swept = 0;
  let batch: string[] = [];
  const sweep = async () => {
    const known = await db
      .select({ key: identityDocuments.storageKey })
      .from(identityDocuments)
      .where(inArray(identityDocuments.storageKey, batch));
    const kept = new Set(known.map((k) => k.key));
    for (const key of batch.filter((k) => !kept.has(k))) {
      await storage.delete(key);
      swept++;
    }
    batch = [];
  };
  for await (const key of storage.keysWrittenBefore(new Date(now.getTime() - ORPHAN_AFTER_MS))) {
    batch.push(key);
    if (batch.length === BATCH) await sweep();
  }
  if (batch.length > 0) await sweep();
  return swept;
}

/** Removes the text of delivered e-mails and SMS after a day, so codes and links do not linger. */
export async function redactDeliveredMessages(db: Db, now = new Date()): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ payload: sql`jsonb_build_object('to', ${outbox.payload}->'to', 'redacted', true)` })
    .where(
      and(
        inArray(outbox.topic, ['email.send', 'sms.send']),
        eq(outbox.status, 'sent'),
        isNotNull(outbox.sentAt),
        lte(outbox.sentAt, new Date(now.getTime() - MESSAGE_TEXT_HOURS * 3_600_000)),
        sql`not (${outbox.payload} ? 'redacted')`,
      ),
    )
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * The retention and reconciliation jobs, at start and then every `everyMs`, by one instance at a
 * time across the deployment (see timedJob).
 */
export function maintenance(options: {
  db: Db;
  storage: DocumentStorage;
  gateway: PaymentGateway;
  links: Links;
  everyMs?: number;
  onError: (error: unknown) => void;
}) {
  const run = async () => {
    await purgeExpiredDocuments(options.db, options.storage);
    await sweepOrphanDocuments(options.db, options.storage);
    await redactDeliveredMessages(options.db);
    await reconcilePayments(options.db, options.links, options.gateway);
    await sendVisitReminders(options.db, options.links);
    await purgeUnconfirmedVisits(options.db);
    await purgeIdempotencyKeys(options.db);
    await dropSpentAllowances(options.db, new Date(Date.now() - 2 * 86_400_000));
  };
  return timedJob(options.db, 'maintenance', options.everyMs ?? 3_600_000, run, options.onError);
}
