import { arrayOverlaps, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { LOCALES } from '../../db/schema/columns.ts';
import { deliveryZones, feeRules, operators } from '../../db/schema/operators.ts';
import { staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { auditChange } from '../admin/audited-change.ts';
import { type FormProblems, problemsOf, timeZone } from '../admin/form-values.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { sealSecret } from '../secret-box.ts';
import { issueEnrolment, unknownPassword } from '../staff/enrolment.ts';
import { transact } from '../transact.ts';

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const name = z.string().trim().min(2, 'admin.invalid.name').max(120, 'admin.invalid.name');

export const newOperatorForm = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,30}$/, 'platform.invalid.slug'),
  nameRu: name,
  nameEn: name,
  nameZh: name,
  hostnames: z
    .string()
    .transform((v) =>
      v
        .split(/[\s,]+/)
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((hosts) => hosts.length > 0 && hosts.every((h) => HOST.test(h)), 'platform.invalid.hostnames'),
  timeZone: timeZone('platform.invalid.timeZone'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'platform.invalid.currency')),
  supportPhone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s()-]{5,20}$/, 'admin.invalid.phone'),
  supportEmail: z.string().trim().pipe(z.email('admin.invalid.email')),
  adminName: name,
  adminEmail: z.string().trim().toLowerCase().pipe(z.email('admin.invalid.email')),
  adminLocale: z.enum(LOCALES).default('en'),
});

/**
 * A new brand on this deployment, ready to configure: its operator row, a default courier zone
 * and a free default fee row (so the wizard can quote until the admin sets the fee table), and
 * its first administrator, who sets their own password from a one-time link e-mailed to them
 * (and returned, to hand over where no mail runs yet). Audited in the new operator's log, by the
 * platform administrator, or by the system when it comes from `simdesk operator create`.
 */
export function createOperator(
  db: Db,
  links: Links,
  documentKey: Buffer,
  platformAdmin: StaffActor | null,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<{ operatorId: string; enrolmentLink: string }, FormProblems>> {
  const parsed = newOperatorForm.safeParse(form);
  if (!parsed.success) return Promise.resolve(err(problemsOf(parsed.error)));
  const f = parsed.data;
  return transact(db, async (tx) => {
    if (platformAdmin) await requireRole(tx, platformAdmin, ['platform_admin']);
    const [slugTaken] = await tx.select({ id: operators.id }).from(operators).where(eq(operators.slug, f.slug));
    if (slugTaken) return err({ slug: 'platform.invalid.slug_taken' });
    const [hostTaken] = await tx
      .select({ id: operators.id })
      .from(operators)
      .where(arrayOverlaps(operators.hostnames, f.hostnames));
    if (hostTaken) return err({ hostnames: 'platform.invalid.hostname_taken' });
    const [operator] = await tx
      .insert(operators)
      .values({
        slug: f.slug,
        name: { ru: f.nameRu, en: f.nameEn, zh: f.nameZh },
        hostnames: f.hostnames,
        timeZone: f.timeZone,
        currency: f.currency,
        supportPhone: f.supportPhone,
        supportEmail: f.supportEmail,
      })
      .returning({ id: operators.id });
    const operatorId = (operator as { id: string }).id;
    await tx.insert(deliveryZones).values({
      operatorId,
      code: 'default',
      name: { ru: 'Вся страна', en: 'Whole country', zh: '全国' },
      isDefault: true,
      minDays: 7,
      maxDays: 21,
    });
    await tx.insert(feeRules).values({ operatorId, amountMinor: 0 });
    const [admin] = await tx
      .insert(staffUsers)
      .values({
        operatorId,
        email: f.adminEmail,
        fullName: f.adminName,
        passwordHash: await unknownPassword(),
        totpSecretEncrypted: sealSecret(documentKey, generateSecret()),
      })
      .returning({ id: staffUsers.id });
    const adminId = (admin as { id: string }).id;
    await tx.insert(staffRoles).values({ operatorId, staffId: adminId, role: 'admin' });
    const enrolmentLink = await issueEnrolment(
      tx,
      links,
      { id: operatorId, name: { ru: f.nameRu, en: f.nameEn, zh: f.nameZh }, hostnames: f.hostnames, publicUrl: null },
      { id: adminId, email: f.adminEmail, fullName: f.adminName },
      f.adminLocale,
      now,
    );
    const { adminName: _n, ...shown } = f;
    const target = { kind: 'operator', id: operatorId };
    if (platformAdmin)
      await auditChange(
        tx,
        { ...platformAdmin, operatorId },
        'operator.created',
        target,
        null,
        {
          ...shown,
          createdBy: platformAdmin.staffId,
        },
        now,
      );
    else
      await appendAudit(
        tx,
        {
          operatorId,
          actorKind: 'system',
          actorId: 'simdesk operator create',
          action: 'operator.created',
          targetKind: target.kind,
          targetId: target.id,
          data: { before: null, after: shown },
        },
        now,
      );
    return ok({ operatorId, enrolmentLink });
  });
}
