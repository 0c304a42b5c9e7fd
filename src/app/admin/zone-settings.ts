import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { deliveryZones } from '../../db/schema/operators.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import { type FormProblems, money, problemsOf, wholeNumber } from './form-values.ts';

export type ZoneRow = typeof deliveryZones.$inferSelect;

const list = (pattern: RegExp, message: string) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(/[\s,]+/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((items) => items.every((x) => pattern.test(x)), message);

const zoneForm = z
  .object({
    minDays: wholeNumber(1, 60),
    maxDays: wholeNumber(1, 60),
    courierFee: money,
    cities: list(/^[a-z][a-z0-9-]{1,40}$/, 'admin.invalid.cities'),
    postcodePrefixes: list(/^\d{1,6}$/, 'admin.invalid.postcodes'),
  })
  .refine((z) => z.minDays <= z.maxDays, { path: ['maxDays'], message: 'admin.invalid.window' });

export const operatorZones = (db: Db, operatorId: string): Promise<ZoneRow[]> =>
  db
    .select()
    .from(deliveryZones)
    .where(eq(deliveryZones.operatorId, operatorId))
    .orderBy(asc(deliveryZones.minDays), asc(deliveryZones.code));

const shown = (z: Pick<ZoneRow, 'minDays' | 'maxDays' | 'courierFeeMinor' | 'cities' | 'postcodePrefixes'>) => ({
  minDays: z.minDays,
  maxDays: z.maxDays,
  courierFeeMinor: z.courierFeeMinor,
  cities: z.cities,
  postcodePrefixes: z.postcodePrefixes,
});

/** A courier zone's delivery window, price and the cities and postcodes it covers; audited with before and after. */
export function updateZone(
  db: Db,
  staff: StaffActor,
  zoneId: string,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<boolean, FormProblems>> {
  const parsed = zoneForm.safeParse(form);
  if (!parsed.success) return Promise.resolve(err(problemsOf(parsed.error)));
  const { courierFee, ...rest } = parsed.data;
  const after = { ...rest, courierFeeMinor: courierFee };
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [zone] = await tx
      .select()
      .from(deliveryZones)
      .where(and(eq(deliveryZones.operatorId, staff.operatorId), eq(deliveryZones.id, zoneId)))
      .for('update');
    if (!zone) return err({ form: 'admin.not_found' });
    await tx.update(deliveryZones).set(after).where(eq(deliveryZones.id, zoneId));
    const target = { kind: 'delivery_zone', id: zoneId };
    return ok(await auditChange(tx, staff, 'zone.changed', target, shown(zone), shown(after), now));
  });
}
