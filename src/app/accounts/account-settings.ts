import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import type { Locale } from '../../db/schema/columns.ts';
import { operators } from '../../db/schema/operators.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { maskMsisdn, parseMsisdn } from '../../domain/msisdn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { translator } from '../../i18n/translate.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { consumeCode, newCode, sendCode } from '../auth/one-time-codes.ts';
import { reauthenticate } from '../auth/reauthenticate.ts';
import { maskEmail } from '../auth/second-factor.ts';
import { enqueue } from '../outbox/outbox.ts';

export type Contact = 'email' | 'phone';
export type SettingsActor = { operatorId: string; accountId: string; sessionId: string; ip: string };
export type ContactChangeError =
  | 'settings.email_invalid'
  | 'settings.phone_invalid'
  | 'settings.phone_is_line'
  | 'settings.email_taken'
  | 'settings.unchanged'
  | 'settings.too_many'
  | 'auth.invalid'
  | 'auth.locked';

const CODE_MINUTES = 30;
const MAX_CODES_PER_HOUR = 5;
const email = z.email().max(254);

/** What the settings page shows of the signed-in account; null when the account is gone. */
export async function accountContacts(db: Db, actor: Pick<SettingsActor, 'operatorId' | 'accountId'>) {
  const [account] = await db
    .select({ locale: accounts.locale, email: accounts.email, secondPhone: accounts.secondPhone })
    .from(accounts)
    .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)));
  return account ?? null;
}

export async function setLanguage(db: Db, actor: SettingsActor, locale: Locale): Promise<void> {
  await db
    .update(accounts)
    .set({ locale })
    .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)));
}

async function account(db: Db | Tx, actor: SettingsActor) {
  const [row] = await db
    .select({ account: accounts, operatorName: operators.name })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)));
  if (!row) throw new Error(`account ${actor.accountId} vanished`);
  return row;
}

/**
 * Starts changing the e-mail or the second phone: the password is asked again, and a code goes
 * to the new address, proving the subscriber holds it. Nothing changes until the code comes back.
 */
export async function startContactChange(
  db: Db,
  actor: SettingsActor,
  input: { contact: Contact; value: string; password: string },
  now = new Date(),
): Promise<Result<{ to: string }, ContactChangeError>> {
  const destination = await validContact(db, actor, input.contact, input.value);
  if (!destination.ok) return destination;
  const checked = await reauthenticate(db, { ...actor, password: input.password, now });
  if (!checked.ok) return checked;
  const { account: a, operatorName } = await account(db, actor);
  const t = translator(a.locale);
  const values = { operator: operatorName[a.locale], code: newCode(), minutes: CODE_MINUTES };
  const channel = input.contact === 'email' ? 'email' : 'sms';
  const sent = await db.transaction((tx) =>
    sendCode(tx, {
      operatorId: actor.operatorId,
      accountId: actor.accountId,
      perHour: MAX_CODES_PER_HOUR,
      purpose: 'contact_change',
      channel,
      destination: destination.value,
      code: values.code,
      expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
      now,
      keyPrefix: 'contact-change',
      message: {
        subject: t('email.contactCode.subject', values),
        text: t(channel === 'email' ? 'email.contactCode.body' : 'sms.contactCode', values),
      },
    }),
  );
  if (!sent) return err('settings.too_many');
  return ok({ to: input.contact === 'email' ? maskEmail(destination.value) : maskMsisdn(destination.value) });
}

async function validContact(
  db: Db,
  actor: SettingsActor,
  contact: Contact,
  value: string,
): Promise<Result<string, ContactChangeError>> {
  const { account: a } = await account(db, actor);
  if (contact === 'email') {
    const parsed = email.safeParse(value.trim().toLowerCase());
    if (!parsed.success) return err('settings.email_invalid');
    if (parsed.data === a.email?.toLowerCase()) return err('settings.unchanged');
    const [taken] = await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(
        and(
          eq(accounts.operatorId, actor.operatorId),
          ne(accounts.id, actor.accountId),
          sql`lower(${accounts.email}) = ${parsed.data}`,
        ),
      );
    return taken ? err('settings.email_taken') : ok(parsed.data);
  }
  const phone = parseMsisdn(value);
  if (!phone.ok) return err('settings.phone_invalid');
  if (phone.value === a.secondPhone) return err('settings.unchanged');
  const [own] = await db
    .select({ id: lines.id })
    .from(lines)
    .where(and(eq(lines.accountId, actor.accountId), eq(lines.msisdn, phone.value)));
  return own ? err('settings.phone_is_line') : ok(phone.value);
}

/**
 * Completes a contact change with the code sent to the new address. The old address is told
 * (a thief who changed it would otherwise go unnoticed), and the change starts the operator's
 * cooling-off period for online replacement.
 */
export async function confirmContactChange(
  db: Db,
  actor: SettingsActor,
  input: { contact: Contact; code: string },
  now = new Date(),
): Promise<Result<{ contact: Contact }, 'settings.code_wrong'>> {
  return db.transaction(async (tx) => {
    const sent = await consumeCode(tx, {
      accountId: actor.accountId,
      purpose: 'contact_change',
      code: input.code,
      now,
    });
    const channel = input.contact === 'email' ? 'email' : 'sms';
    if (!sent || sent.channel !== channel) return err('settings.code_wrong' as const);
    const { account: before, operatorName } = await account(tx, actor);
    await tx
      .update(accounts)
      .set(
        input.contact === 'email'
          ? { email: sent.destination, emailVerifiedAt: now, contactsChangedAt: now }
          : { secondPhone: sent.destination, contactsChangedAt: now },
      )
      .where(eq(accounts.id, actor.accountId));
    const t = translator(before.locale);
    const values = {
      operator: operatorName[before.locale],
      to: input.contact === 'email' ? maskEmail(sent.destination) : maskMsisdn(sent.destination),
    };
    const text = t(input.contact === 'email' ? 'notify.emailChanged' : 'notify.phoneChanged', values);
    const key = `contact-changed:${actor.accountId}:${now.getTime()}`;
    if (before.email)
      await enqueue(tx, {
        operatorId: actor.operatorId,
        topic: 'email.send',
        payload: { to: before.email, subject: t('notify.contactChanged.subject', values), text },
        idempotencyKey: `${key}:email`,
      });
    if (before.secondPhone)
      await enqueue(tx, {
        operatorId: actor.operatorId,
        topic: 'sms.send',
        payload: { to: before.secondPhone, text: `${values.operator}: ${text}` },
        idempotencyKey: `${key}:sms`,
      });
    await appendAudit(
      tx,
      {
        operatorId: actor.operatorId,
        actorKind: 'subscriber',
        actorId: actor.accountId,
        action: `account.${input.contact}_changed`,
        targetKind: 'account',
        targetId: actor.accountId,
        ip: actor.ip,
      },
      now,
    );
    return ok({ contact: input.contact });
  });
}
