import { type FeeQuote, type FeeRule, quoteFee } from '../../domain/fees.ts';
import type { DraftAnswers } from '../../domain/replacement-wizard.ts';
import { err, type Result } from '../../domain/result.ts';
import type { DeliveryZone } from '../operators/operator-profile.ts';

/** The fee for a complete online draft, from the operator's fee table and its courier zone's charge. */
export function quoteAnswers(
  offer: { feeRules: readonly FeeRule[]; zones: readonly Pick<DeliveryZone, 'id' | 'courierFeeMinor'>[] },
  answers: DraftAnswers,
  previousReplacements: readonly Date[],
  now: Date,
): Result<FeeQuote, 'fee.no_rule'> {
  const { reason, simType, delivery } = answers;
  if (!reason || !simType || !delivery) return err('fee.no_rule');
  return quoteFee(offer.feeRules, {
    reason,
    simType,
    channel: 'online',
    delivery,
    previousReplacements,
    deliveryFeeMinor: offer.zones.find((z) => z.id === answers.zoneId)?.courierFeeMinor ?? 0,
    now,
  });
}
