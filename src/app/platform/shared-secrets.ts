import { createHmac } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { sharedSecretChecks } from '../../db/schema/system.ts';
import { UserError } from '../../errors.ts';

export class SharedSecretMismatch extends UserError {
  constructor(readonly names: string[]) {
    super(
      `${names.join(', ')} ${names.length === 1 ? 'differs' : 'differ'} from the value the other instances on this ` +
        'database use: every instance must share it (see docs/deployment.md). Refusing to start.',
    );
  }
}

/** The secrets every instance on one database must share, by the name of their variable. */
export function sharedSecrets(config: Config): Record<string, string | Buffer> {
  return {
    SESSION_SECRET: config.sessionSecret,
    DOCUMENT_KEY: config.documentKey,
    PAYMENT_WEBHOOK_SECRET: config.paymentWebhookSecret,
    AUDIT_KEY: config.auditKey,
    ...(config.carrier.kind === 'simulator' ? { CARRIER_WEBHOOK_SECRET: config.carrier.webhookSecret } : {}),
    ...(config.smdp.kind === 'simulator' ? { SMDP_WEBHOOK_SECRET: config.smdp.webhookSecret } : {}),
  };
}

const fingerprint = (name: string, secret: string | Buffer) =>
  createHmac('sha256', secret).update(`simdesk shared secret check: ${name}`).digest('base64url');

/**
 * Checks at start that this instance's secrets are the ones the database was first started with.
 * An instance with another key would fail at run time (staff sign-in at the TOTP step, forms,
 * payment webhooks, API tokens, sealed documents), each time differently; it refuses to start
 * instead, naming every secret that differs.
 */
export async function checkSharedSecrets(db: Db, secrets: Record<string, string | Buffer>): Promise<void> {
  const mine = Object.entries(secrets).map(([name, secret]) => ({ name, fingerprint: fingerprint(name, secret) }));
  await db.insert(sharedSecretChecks).values(mine).onConflictDoNothing();
  const kept = await db
    .select()
    .from(sharedSecretChecks)
    .where(inArray(sharedSecretChecks.name, Object.keys(secrets)));
  const differing = mine
    .filter((m) => kept.find((k) => k.name === m.name)?.fingerprint !== m.fingerprint)
    .map((m) => m.name);
  if (differing.length > 0) throw new SharedSecretMismatch(differing);
}
