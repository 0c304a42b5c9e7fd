import { asc, eq } from 'drizzle-orm';
import type { Database, Db, Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import type { LocalizedText } from '../../db/schema/columns.ts';
import { deliveryZones, faqEntries, feeRules, operators } from '../../db/schema/operators.ts';
import { type CityDirectory, normalCity } from '../../domain/delivery-zones.ts';
import type { FeeRule } from '../../domain/fees.ts';
import type { WizardOffer } from '../../domain/replacement-wizard.ts';

export type Operator = typeof operators.$inferSelect;
export type DeliveryZone = typeof deliveryZones.$inferSelect;
export type ServiceCenter = typeof serviceCenters.$inferSelect;

/**
 * Everything an operator offers that pages show and the wizard decides by: policies, fee table,
 * courier zones and active centers. It changes rarely, so instances keep it in memory (see the
 * operator plugin); transactions that decide something read it afresh.
 */
export type OperatorProfile = {
  operator: Operator;
  feeRules: FeeRule[];
  /** Fastest first. */
  zones: DeliveryZone[];
  /** Active centers, by city, then code. */
  centers: ServiceCenter[];
  cities: LocalizedText[];
  offer: WizardOffer;
  /** The operator's own FAQ entries, in order. */
  faq: FaqEntry[];
};
export type FaqEntry = typeof faqEntries.$inferSelect;

/** Whether any operator exists yet: an installation without one is not set up. */
export async function hasOperator(database: Database): Promise<boolean> {
  const [row] = await database.raw.query<{ set_up: boolean }>('select exists (select 1 from operators) as set_up');
  return row?.set_up === true;
}

export async function listOperators(db: Db): Promise<Operator[]> {
  return db.select().from(operators).orderBy(asc(operators.createdAt), asc(operators.slug));
}

export async function loadOperatorProfile(db: Db | Tx, operator: Operator): Promise<OperatorProfile> {
  // One after another: inside a transaction all queries share one connection.
  const rules = await db.select().from(feeRules).where(eq(feeRules.operatorId, operator.id));
  const zones = await operatorZones(db, operator.id);
  const centers = await activeCenters(db, operator.id);
  const cities = new Map(centers.map((c) => [c.cityKey, c.city]));
  const faq = await operatorFaq(db, operator.id);
  return {
    faq,
    operator,
    feeRules: rules,
    zones,
    centers,
    cities: [...cities.values()],
    offer: offerOf(operator, zones, centers),
  };
}

/** The operator's FAQ entries in the order its admins set. */
export const operatorFaq = (db: Db | Tx, operatorId: string) =>
  db.select().from(faqEntries).where(eq(faqEntries.operatorId, operatorId)).orderBy(asc(faqEntries.position));

const operatorZones = (db: Db | Tx, operatorId: string) =>
  db
    .select()
    .from(deliveryZones)
    .where(eq(deliveryZones.operatorId, operatorId))
    .orderBy(asc(deliveryZones.minDays), asc(deliveryZones.code));

const activeCenters = async (db: Db | Tx, operatorId: string) =>
  (
    await db
      .select()
      .from(serviceCenters)
      .where(eq(serviceCenters.operatorId, operatorId))
      .orderBy(asc(serviceCenters.cityKey), asc(serviceCenters.code))
  ).filter((c) => c.active);

/** What the online wizard offers: eSIM where an SM-DP+ is configured, courier zones, pickup centers. */
export function offerOf(
  operator: Pick<Operator, 'esimEnabled' | 'smdpAddress'>,
  zones: readonly DeliveryZone[],
  centers: readonly ServiceCenter[],
): WizardOffer {
  const cities: Record<string, string> = {};
  const name = (text: string, key: string) => {
    cities[normalCity(text)] ??= key;
  };
  for (const c of centers) {
    name(c.cityKey, c.cityKey);
    for (const text of Object.values(c.city)) name(text, c.cityKey);
  }
  for (const z of zones) {
    const [only] = z.cities;
    if (z.cities.length === 1 && only) for (const text of Object.values(z.name)) name(text, only);
  }
  return {
    esim: Boolean(operator.esimEnabled && operator.smdpAddress),
    zones: zones.map((z) => ({
      id: z.id,
      cityKeys: z.cities,
      postcodePrefixes: z.postcodePrefixes,
      isDefault: z.isDefault,
    })),
    cities: cities satisfies CityDirectory,
    centerIds: centers.filter((c) => c.offersPickup).map((c) => c.id),
  };
}

/** The offer as a transaction sees it, for decisions that must not rest on a cached copy. */
export async function currentOffer(db: Db | Tx, operatorId: string): Promise<WizardOffer> {
  const [operator] = await db
    .select({ esimEnabled: operators.esimEnabled, smdpAddress: operators.smdpAddress })
    .from(operators)
    .where(eq(operators.id, operatorId));
  const zones = await operatorZones(db, operatorId);
  const centers = await activeCenters(db, operatorId);
  return offerOf(operator ?? { esimEnabled: false, smdpAddress: null }, zones, centers);
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

/** The channel the database notifies with an operator's id when its settings, zones or centers change. */
export const OPERATOR_CHANGES = 'simdesk_operators';
