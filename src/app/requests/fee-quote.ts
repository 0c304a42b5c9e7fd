import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { deliveryZones, feeRules } from '../../db/schema/operators.ts';
import { simChanges } from '../../db/schema/sim-changes.ts';
import { type FeeQuote, quoteFee } from '../../domain/fees.ts';
import type { DraftAnswers } from '../../domain/replacement-wizard.ts';
import { err, type Result } from '../../domain/result.ts';

/** The fee for a complete draft, from the operator's table and the line's earlier SIM changes. */
export async function quoteDraft(
  db: Db | Tx,
  operatorId: string,
  lineId: string,
  answers: DraftAnswers,
  now: Date,
): Promise<Result<FeeQuote, 'fee.no_rule'>> {
  const { reason, simType, delivery } = answers;
  if (!reason || !simType || !delivery) return err('fee.no_rule');
  // One after another: inside a transaction all queries share one connection.
  const rules = await db.select().from(feeRules).where(eq(feeRules.operatorId, operatorId));
  const changes = await db.select({ at: simChanges.changedAt }).from(simChanges).where(eq(simChanges.lineId, lineId));
  const zone = answers.zoneId
    ? await db
        .select({ fee: deliveryZones.courierFeeMinor })
        .from(deliveryZones)
        .where(and(eq(deliveryZones.operatorId, operatorId), eq(deliveryZones.id, answers.zoneId)))
    : [];
  return quoteFee(rules, {
    reason,
    simType,
    channel: 'online',
    delivery,
    previousReplacements: changes.map((c) => c.at),
    deliveryFeeMinor: zone[0]?.fee ?? 0,
    now,
  });
}
