import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { WEBHOOK_EVENTS, webhookDeliveries, webhookSubscriptions } from '../../db/schema/webhooks.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { acceptablePartnerUrl, type OutboundPolicy } from '../../integrations/outbound/partner-post.ts';
import { auditChange, type Changer } from '../admin/audited-change.ts';
import { sealSecret } from '../secret-box.ts';
import { transact } from '../transact.ts';

export type Subscription = typeof webhookSubscriptions.$inferSelect;
export type Delivery = typeof webhookDeliveries.$inferSelect;
export type SubscriptionProblem = 'webhooks.url' | 'webhooks.events';

/**
 * A new subscription; its signing secret is returned once, to be given to the listening system.
 * Made again with the same `id` (a repeated API call whose answer was lost), it gets a new secret.
 */
export async function createSubscription(
  db: Db,
  documentKey: Buffer,
  partners: OutboundPolicy,
  by: Changer,
  input: { url: string; events: string[]; id?: string },
  now = new Date(),
): Promise<Result<{ id: string; secret: string }, SubscriptionProblem[]>> {
  const url = input.url.trim();
  const events = WEBHOOK_EVENTS.filter((e) => input.events.includes(e));
  const problems: SubscriptionProblem[] = [];
  if (!acceptablePartnerUrl(partners, url)) problems.push('webhooks.url');
  if (events.length === 0) problems.push('webhooks.events');
  if (problems.length > 0) return err(problems);
  const id = input.id ?? randomUUID();
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return transact(db, async (tx) => {
    const secretEncrypted = sealSecret(documentKey, secret, id);
    await tx
      .insert(webhookSubscriptions)
      .values({ id, operatorId: by.operatorId, url, events, secretEncrypted, createdAt: now })
      .onConflictDoUpdate({
        target: webhookSubscriptions.id,
        set: { secretEncrypted },
        where: eq(webhookSubscriptions.operatorId, by.operatorId),
      });
    await auditChange(tx, by, 'webhook.subscribed', { kind: 'webhook_subscription', id }, null, { url, events }, now);
    return ok({ id, secret });
  });
}

/** Stops a subscription: nothing more is sent to it, including deliveries still being retried. */
export function disableSubscription(
  db: Db,
  by: Changer,
  id: string,
  now = new Date(),
): Promise<Result<true, 'webhooks.not_found'>> {
  return transact(db, async (tx) => {
    const [row] = await tx
      .update(webhookSubscriptions)
      .set({ active: false })
      .where(
        and(
          eq(webhookSubscriptions.operatorId, by.operatorId),
          eq(webhookSubscriptions.id, id),
          eq(webhookSubscriptions.active, true),
        ),
      )
      .returning({ url: webhookSubscriptions.url });
    if (!row) return err('webhooks.not_found' as const);
    const target = { kind: 'webhook_subscription', id };
    await auditChange(tx, by, 'webhook.disabled', target, { active: true }, { active: false }, now);
    return ok(true as const);
  });
}

/** The operator's subscriptions, newest first, each with its latest deliveries. */
export async function subscriptionsWithLog(
  db: Db,
  operatorId: string,
  perSubscription = 10,
): Promise<{ subscription: Subscription; deliveries: Delivery[] }[]> {
  const subscriptions = await db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.operatorId, operatorId))
    .orderBy(desc(webhookSubscriptions.createdAt));
  if (subscriptions.length === 0) return [];
  const deliveries = await db
    .select()
    .from(webhookDeliveries)
    .where(
      inArray(
        webhookDeliveries.subscriptionId,
        subscriptions.map((s) => s.id),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(perSubscription * subscriptions.length * 4);
  return subscriptions.map((subscription) => ({
    subscription,
    deliveries: deliveries.filter((d) => d.subscriptionId === subscription.id).slice(0, perSubscription),
  }));
}
