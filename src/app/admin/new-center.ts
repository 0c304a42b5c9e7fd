import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import { decimal, type FormProblems, problemsOf, timeZone } from './form-values.ts';

const text = z.string().trim().min(2, 'admin.invalid.text').max(200, 'admin.invalid.text');

/** A new center as typed: its names, city and address in each language, where it is and its time zone. */
export const newCenterForm = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,19}$/, 'admin.invalid.code')),
  cityKey: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'admin.invalid.cities')),
  nameRu: text,
  nameEn: text,
  nameZh: text,
  cityRu: text,
  cityEn: text,
  cityZh: text,
  addressRu: text,
  addressEn: text,
  addressZh: text,
  latitude: decimal(-90, 90),
  longitude: decimal(-180, 180),
  timeZone: timeZone('platform.invalid.timeZone'),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s()-]{5,20}$/, 'admin.invalid.phone'),
});

/**
 * Opens a new service center, closed to visitors until its hours are set and it is opened on its
 * own page; audited.
 */
export function addCenter(
  db: Db,
  staff: StaffActor,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<string, FormProblems>> {
  const parsed = newCenterForm.safeParse(form);
  if (!parsed.success) return Promise.resolve(err(problemsOf(parsed.error)));
  const f = parsed.data;
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [taken] = await tx
      .select({ id: serviceCenters.id })
      .from(serviceCenters)
      .where(and(eq(serviceCenters.operatorId, staff.operatorId), eq(serviceCenters.code, f.code)));
    if (taken) return err({ code: 'admin.invalid.code_taken' });
    const center = {
      code: f.code,
      cityKey: f.cityKey,
      name: { ru: f.nameRu, en: f.nameEn, zh: f.nameZh },
      city: { ru: f.cityRu, en: f.cityEn, zh: f.cityZh },
      address: { ru: f.addressRu, en: f.addressEn, zh: f.addressZh },
      latitude: f.latitude,
      longitude: f.longitude,
      timeZone: f.timeZone,
      phone: f.phone,
    };
    const [row] = await tx
      .insert(serviceCenters)
      .values({ operatorId: staff.operatorId, ...center, active: false, createdAt: now })
      .returning({ id: serviceCenters.id });
    const id = (row as { id: string }).id;
    await auditChange(tx, staff, 'center.added', { kind: 'service_center', id }, null, center, now);
    return ok(id);
  });
}
