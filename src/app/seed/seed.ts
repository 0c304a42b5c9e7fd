import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { centerExceptions, centerHours, serviceCenters } from '../../db/schema/centers.ts';
import { deliveryZones, feeRules, operators } from '../../db/schema/operators.ts';
import { sims } from '../../db/schema/sims.ts';
import { STAFF_ROLES } from '../../db/schema/staff.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { completeIccid } from '../../domain/iccid.ts';
import { sealSecret } from '../secret-box.ts';
import { createStaff } from '../staff/create-staff.ts';
import { DEMO_CENTERS } from './demo-centers.ts';
import { DEMO_OPERATORS, type DemoOperator } from './demo-operators.ts';
import { DEMO_PASSWORD, DEMO_SUBSCRIBERS, demoDocument } from './demo-subscribers.ts';

export const DEMO_STAFF_PASSWORD = 'simdesk-staff-demo';
/** Fixed so a developer can add it to an authenticator app once. */
export const DEMO_STAFF_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const STOCK_PER_CENTER = 40;
const WAREHOUSE_STOCK = 200;
const ESIM_PROFILES = 100;

export type SeedResult = { created: string[]; skipped: string[] };

/**
 * Loads the fictional demo operators with their centers, stock, subscribers and staff.
 * Idempotent: an operator that already exists is left as it is.
 */
export async function seedDemo(database: Database, documentKey: Buffer): Promise<SeedResult> {
  const existing = await database.db
    .select({ slug: operators.slug })
    .from(operators)
    .where(
      inArray(
        operators.slug,
        DEMO_OPERATORS.map((o) => o.slug),
      ),
    );
  const skipped = existing.map((e) => e.slug);
  const created: string[] = [];
  const passwordHash = await hash(DEMO_PASSWORD);
  for (const operator of DEMO_OPERATORS.filter((o) => !skipped.includes(o.slug))) {
    await seedOperator(database, documentKey, operator, passwordHash);
    created.push(operator.slug);
  }
  return { created, skipped };
}

async function seedOperator(database: Database, documentKey: Buffer, o: DemoOperator, passwordHash: string) {
  await database.db.transaction(async (tx) => {
    const [op] = await tx
      .insert(operators)
      .values({
        slug: o.slug,
        name: o.name,
        hostnames: o.hostnames,
        supportPhone: o.supportPhone,
        supportEmail: o.supportEmail,
        esimEnabled: o.esimEnabled,
        smdpAddress: o.smdpAddress,
        onlineReplacement: o.onlineReplacement,
        coolingOffHours: o.coolingOffHours,
        lockReleaseHours: o.lockReleaseHours,
        fourEyesRiskThreshold: o.fourEyesRiskThreshold,
      })
      .returning({ id: operators.id });
    const operatorId = op!.id;
    await tx.insert(feeRules).values(o.fees.map((f) => ({ ...f, operatorId })));
    await tx.insert(deliveryZones).values(o.zones.map((z) => ({ ...z, operatorId })));

    let serial = 0;
    const sim = (centerId: string | null, formFactor: 'triple' | 'nano' | 'esim') => {
      serial++;
      const n = String(serial).padStart(10, '0');
      return {
        operatorId,
        iccid: completeIccid(`897${o.issuer}000${n}`),
        imsi: `250${o.mnc}${n}`,
        formFactor,
        esimMatchingId: formFactor === 'esim' ? `${o.slug.toUpperCase()}-${n}` : null,
        batch: 'demo',
        centerId,
      };
    };

    for (const c of DEMO_CENTERS.filter((c) => c.operator === o.slug)) {
      const [center] = await tx
        .insert(serviceCenters)
        .values({
          operatorId,
          code: c.code,
          name: c.name,
          cityKey: c.cityKey,
          city: c.city,
          address: c.address,
          latitude: c.latitude,
          longitude: c.longitude,
          timeZone: c.timeZone,
          phone: c.phone,
          offersEsim: o.esimEnabled,
        })
        .returning({ id: serviceCenters.id });
      const centerId = center!.id;
      await tx.insert(centerHours).values(c.weekly.map((h) => ({ ...h, operatorId, centerId })));
      await tx.insert(centerExceptions).values(c.exceptions.map((e) => ({ ...e, operatorId, centerId })));
      await tx
        .insert(sims)
        .values(Array.from({ length: STOCK_PER_CENTER }, (_, i) => sim(centerId, i % 2 ? 'nano' : 'triple')));
    }
    await tx
      .insert(sims)
      .values(Array.from({ length: WAREHOUSE_STOCK }, (_, i) => sim(null, i % 2 ? 'nano' : 'triple')));
    if (o.esimEnabled) await tx.insert(sims).values(Array.from({ length: ESIM_PROFILES }, () => sim(null, 'esim')));

    for (const s of DEMO_SUBSCRIBERS.filter((s) => s.operator === o.slug)) {
      const accountId = randomUUID();
      const document = demoDocument(s);
      const [account] = await tx
        .insert(accounts)
        .values({
          id: accountId,
          documentType: document.docType,
          documentNumberEncrypted: sealSecret(documentKey, document.docNumber, accountId),
          operatorId,
          fullName: s.fullName,
          email: s.email,
          emailVerifiedAt: s.email ? new Date() : null,
          secondPhone: s.secondPhone,
          locale: s.locale,
          citizenship: s.citizenship,
          passwordHash,
          passwordChangedAt: new Date('2026-01-15T10:00:00Z'),
        })
        .returning({ id: accounts.id });
      for (const l of s.lines) {
        const [line] = await tx
          .insert(lines)
          .values({ operatorId, accountId: account!.id, msisdn: l.msisdn, kind: l.kind })
          .returning({ id: lines.id });
        await tx.insert(sims).values({
          ...sim(null, 'triple'),
          status: 'active',
          lineId: line!.id,
          activatedAt: new Date('2025-06-01T09:00:00Z'),
        });
      }
    }

    const agentCenter = DEMO_CENTERS.find((c) => c.operator === o.slug);
    for (const role of STAFF_ROLES.filter((r) => r !== 'platform_admin' || o.slug === DEMO_OPERATORS[0]?.slug)) {
      await createStaff(tx, documentKey, {
        operator: o.slug,
        email: `${role.replace('_', '-')}@${o.slug}.example`,
        fullName: `Demo ${role}`,
        roles: [role],
        ...(role === 'store_agent' && agentCenter ? { center: agentCenter.code } : {}),
        password: DEMO_STAFF_PASSWORD,
        totpSecret: DEMO_STAFF_TOTP_SECRET,
      });
    }
  });
}

/** True when the database has no operator yet, so `npm start` knows to seed it. */
export async function isEmpty(database: Database): Promise<boolean> {
  const rows = await database.db.select({ id: operators.id }).from(operators).limit(1);
  return rows.length === 0;
}
