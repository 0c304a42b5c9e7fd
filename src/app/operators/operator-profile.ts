import { asc, eq } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import type { LocalizedText } from '../../db/schema/columns.ts';
import { deliveryZones, feeRules, operators } from '../../db/schema/operators.ts';
import type { FeeRule } from '../../domain/fees.ts';

export type Operator = typeof operators.$inferSelect;
export type DeliveryZone = typeof deliveryZones.$inferSelect;

/** What public pages say about an operator: its policies, fee table, delivery zones and centers. */
export type OperatorProfile = {
  operator: Operator;
  feeRules: FeeRule[];
  zones: DeliveryZone[];
  centerCount: number;
  cities: LocalizedText[];
};

export async function listOperators(db: Db): Promise<Operator[]> {
  return db.select().from(operators).orderBy(asc(operators.createdAt), asc(operators.slug));
}

export async function loadOperatorProfile(db: Db, operator: Operator): Promise<OperatorProfile> {
  const [rules, zones, centers] = await Promise.all([
    db.select().from(feeRules).where(eq(feeRules.operatorId, operator.id)),
    db
      .select()
      .from(deliveryZones)
      .where(eq(deliveryZones.operatorId, operator.id))
      .orderBy(asc(deliveryZones.minDays)),
    db
      .select({ cityKey: serviceCenters.cityKey, city: serviceCenters.city })
      .from(serviceCenters)
      .where(eq(serviceCenters.operatorId, operator.id))
      .orderBy(asc(serviceCenters.cityKey)),
  ]);
  const cities = new Map(centers.map((c) => [c.cityKey, c.city]));
  return { operator, feeRules: rules, zones, centerCount: centers.length, cities: [...cities.values()] };
}

/** The operator's fee when nothing special applies: its catch-all rule, else its lowest fee. */
export function baseFeeMinor(rules: readonly FeeRule[]): number | null {
  const general = rules.find((r) => !r.reason && !r.simType && !r.channel && !r.delivery);
  if (general) return general.amountMinor;
  return rules.length ? Math.min(...rules.map((r) => r.amountMinor)) : null;
}

export async function operatorIdBySlug(database: Database, slug: string): Promise<string | undefined> {
  const [row] = await database.db.select({ id: operators.id }).from(operators).where(eq(operators.slug, slug));
  return row?.id;
}
