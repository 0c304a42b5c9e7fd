import { and, count, eq, ne, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { sims } from '../../db/schema/sims.ts';
import { staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { DEFAULT_LOCALE, translator } from '../../i18n/translate.ts';
import { enqueue } from '../outbox/outbox.ts';

/**
 * After a card or profile leaves a center's stock: when what is left of its kind has just
 * fallen below the center's threshold, the center's agents and the operator's logistics staff
 * are e-mailed through the outbox, once for that crossing.
 */
export async function warnIfLowStock(tx: Tx, operatorId: string, centerId: string, esim: boolean, now: Date) {
  const [center] = await tx
    .select({ name: serviceCenters.name, threshold: serviceCenters.lowStockThreshold })
    .from(serviceCenters)
    .where(and(eq(serviceCenters.operatorId, operatorId), eq(serviceCenters.id, centerId)));
  if (!center) return;
  const [left] = await tx
    .select({ n: count() })
    .from(sims)
    .where(
      and(
        eq(sims.centerId, centerId),
        eq(sims.status, 'in_stock'),
        esim ? eq(sims.formFactor, 'esim') : ne(sims.formFactor, 'esim'),
      ),
    );
  const remaining = left?.n ?? 0;
  if (remaining !== center.threshold - 1) return;
  const recipients = await tx
    .selectDistinct({ email: staffUsers.email })
    .from(staffUsers)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staffUsers.id))
    .where(
      and(
        eq(staffUsers.operatorId, operatorId),
        eq(staffUsers.active, true),
        or(
          eq(staffRoles.role, 'logistics'),
          and(eq(staffRoles.role, 'store_agent'), eq(staffUsers.centerId, centerId)),
        ),
      ),
    );
  const t = translator(DEFAULT_LOCALE);
  const kind = t(esim ? 'staff.stock.esim' : 'staff.stock.physical');
  const values = { center: center.name[DEFAULT_LOCALE], kind, left: remaining, threshold: center.threshold };
  const day = now.toISOString().slice(0, 10);
  for (const { email } of recipients)
    await enqueue(tx, {
      operatorId,
      topic: 'email.send',
      payload: { to: email, subject: t('email.lowStock.subject', values), text: t('email.lowStock.body', values) },
      idempotencyKey: `low-stock:${centerId}:${esim ? 'esim' : 'physical'}:${remaining}:${day}:${email}`,
    });
}
