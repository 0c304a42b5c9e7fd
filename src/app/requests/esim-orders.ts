import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { sims } from '../../db/schema/sims.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { DownloadProgress, SmdpPlus } from '../../integrations/smdp/smdp.ts';
import type { Links } from '../operators/links.ts';
import { cancelEsimOrder } from './esim-profile-calls.ts';
import { noticeRequestUpdate } from './request-notices.ts';
import { applyRequestEvent } from './request-transitions.ts';
import { noteOnce } from './timeline-notes.ts';

/** Timeline entries for what a phone did with the request's profile, from the SM-DP+'s notices. */
export const ESIM_PROGRESS = {
  downloaded: 'esim_downloaded',
  installed: 'esim_installed',
  failed: 'esim_failed',
} as const;

/**
 * An approved eSIM request gets a fresh profile (ES2+ DownloadOrder, then ConfirmOrder without
 * release, so nobody can download it before the subscriber is shown the code), stored as the
 * request's SIM and assigned by the state machine; the subscriber is told it is ready. Both
 * calls carry keys derived from the request, so a retry after a crash gets the same profile. A
 * request that meanwhile stopped waiting for it gives the profile back.
 */
/** The matching id of a request's eSIM profile, which a device (or the demo's simulated phone) downloads. */
export async function esimMatchingId(db: Db, simId: string): Promise<string | null> {
  const [sim] = await db.select({ matchingId: sims.esimMatchingId }).from(sims).where(eq(sims.id, simId));
  return sim?.matchingId ?? null;
}

export async function orderEsimProfile(db: Db, links: Links, smdp: SmdpPlus, requestId: string, now = new Date()) {
  const [row] = await db
    .select({ request: replacementRequests, slug: operators.slug })
    .from(replacementRequests)
    .innerJoin(operators, eq(operators.id, replacementRequests.operatorId))
    .where(eq(replacementRequests.id, requestId));
  if (row?.request.status !== 'approved' || row.request.delivery !== 'esim' || row.request.simId) return;
  const profile = await smdp.downloadOrder({
    profileType: `${row.slug}-esim`,
    idempotencyKey: `esim-order:${requestId}`,
  });
  const confirmed = await smdp.confirmOrder({
    iccid: profile.iccid,
    releaseFlag: false,
    idempotencyKey: `esim-confirm:${requestId}`,
  });
  await db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(eq(replacementRequests.id, requestId))
      .for('update');
    if (!request) return;
    await tx
      .insert(sims)
      .values({
        operatorId: request.operatorId,
        iccid: profile.iccid,
        imsi: profile.imsi,
        formFactor: 'esim',
        esimMatchingId: confirmed.matchingId,
        esimSmdpAddress: confirmed.smdpAddress,
        status: 'reserved',
        createdAt: now,
      })
      .onConflictDoNothing({ target: sims.iccid });
    const [sim] = await tx.select({ id: sims.id }).from(sims).where(eq(sims.iccid, profile.iccid));
    const simId = (sim as { id: string }).id;
    if (request.simId === simId) return;
    const assigned =
      request.status === 'approved' && !request.simId
        ? await applyRequestEvent(tx, request, { type: 'assign_sim', simId }, { kind: 'system', id: null }, now, {}, {})
        : null;
    if (!assigned?.ok) {
      await tx.update(sims).set({ status: 'deactivated', deactivatedAt: now }).where(eq(sims.id, simId));
      await cancelEsimOrder(tx, request.operatorId, profile.iccid, false);
      return;
    }
    await noticeRequestUpdate(tx, links, request, 'esim_ready');
  });
}

/**
 * What a phone did with a profile (HandleDownloadProgressInfo): the request whose SIM it is gets
 * it in its timeline, once per step, so its status page can say the profile was downloaded and
 * installed. A notice for a profile simdesk does not know is refused, so the SM-DP+ sends it again.
 */
export async function recordDownloadProgress(
  db: Db,
  progress: DownloadProgress,
): Promise<Result<'recorded' | 'duplicate', 'profile.unknown'>> {
  const [found] = await db
    .select({ requestId: replacementRequests.id })
    .from(sims)
    .innerJoin(replacementRequests, eq(replacementRequests.simId, sims.id))
    .where(and(eq(sims.iccid, progress.iccid), sql`${sims.esimSmdpAddress} is not null`));
  if (!found) return err('profile.unknown');
  const recorded = await noteOnce(db, found.requestId, ESIM_PROGRESS[progress.step], progress.at, {
    eventId: progress.eventId,
  });
  return ok(recorded ? 'recorded' : 'duplicate');
}
