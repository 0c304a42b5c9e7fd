import { hash } from '@node-rs/argon2';
import { and, eq } from 'drizzle-orm';
import { generateSecret, generateURI } from 'otplib';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { serviceCenters } from '../../db/schema/centers.ts';
import { operators } from '../../db/schema/operators.ts';
import { STAFF_ROLES, staffRoles, staffUsers } from '../../db/schema/staff.ts';
import { UserError } from '../../errors.ts';
import { sealSecret } from '../secret-box.ts';

export const newStaffInput = z.object({
  operator: z.string().min(1),
  email: z.email(),
  fullName: z.string().min(1),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
  center: z.string().optional(),
  password: z.string().min(12, 'must be at least 12 characters'),
  /** Base32 TOTP seed; a new random one when omitted. */
  totpSecret: z.string().optional(),
});
export type NewStaff = z.input<typeof newStaffInput>;

export type CreatedStaff = { id: string; totpSecret: string; totpUri: string };

export class StaffError extends UserError {}

/**
 * Creates a staff user with roles and a TOTP second factor. The seed is stored sealed with the
 * document key and returned once so it can be added to an authenticator app.
 */
export async function createStaff(db: Db, documentKey: Buffer, input: NewStaff): Promise<CreatedStaff> {
  const s = newStaffInput.parse(input);
  const [operator] = await db.select().from(operators).where(eq(operators.slug, s.operator));
  if (!operator) throw new StaffError(`unknown operator "${s.operator}"`);
  let centerId: string | null = null;
  if (s.center) {
    const [center] = await db
      .select({ id: serviceCenters.id })
      .from(serviceCenters)
      .where(and(eq(serviceCenters.operatorId, operator.id), eq(serviceCenters.code, s.center)));
    if (!center) throw new StaffError(`unknown center "${s.center}" for operator "${s.operator}"`);
    centerId = center.id;
  }
  const totpSecret = s.totpSecret ?? generateSecret();
  const passwordHash = await hash(s.password);
  const id = await db.transaction(async (tx) => {
    const [user] = await tx
      .insert(staffUsers)
      .values({
        operatorId: operator.id,
        email: s.email.toLowerCase(),
        fullName: s.fullName,
        passwordHash,
        totpSecretEncrypted: sealSecret(documentKey, totpSecret),
        centerId,
      })
      .returning({ id: staffUsers.id });
    await tx.insert(staffRoles).values(s.roles.map((role) => ({ operatorId: operator.id, staffId: user!.id, role })));
    return user!.id;
  });
  const totpUri = generateURI({ issuer: `simdesk ${operator.slug}`, label: s.email, secret: totpSecret });
  return { id, totpSecret, totpUri };
}
