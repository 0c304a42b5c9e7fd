import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { sessions } from '../../db/schema/security.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import { maskMsisdn } from '../../domain/msisdn.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { translator } from '../../i18n/translate.ts';
import { consumeCode, isOwnLine, newCode, sendCode } from './one-time-codes.ts';

/** A code is valid this long; a passed check counts for the session this long. */
export const CODE_MINUTES = 10;
export const SECOND_FACTOR_FRESH_MINUTES = 15;
const MAX_CODES_PER_HOUR = 5;

export type SecondFactorChannel = 'email' | 'sms';
export type SessionActor = { operatorId: string; accountId: string; sessionId: string };

export const hasFreshSecondFactor = (secondFactorAt: Date | null, now = new Date()) =>
  secondFactorAt !== null && now.getTime() - secondFactorAt.getTime() < SECOND_FACTOR_FRESH_MINUTES * 60_000;

/** Where a code may go: the e-mail and the bound second phone, never a line that may be in a thief's hands. */
export async function secondFactorChannels(db: Db, actor: Omit<SessionActor, 'sessionId'>) {
  const [account] = await db
    .select({ email: accounts.email, secondPhone: accounts.secondPhone })
    .from(accounts)
    .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)));
  const phone = account?.secondPhone ?? null;
  const usable = phone !== null && !(await isOwnLine(db, actor.accountId, phone));
  return { email: account?.email ?? null, sms: usable ? phone : null };
}

export const maskEmail = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1•••$2');

/** Sends a 6-digit code for the second factor; the answer names the masked destination. */
export async function sendSecondFactorCode(
  db: Db,
  actor: SessionActor,
  channel: SecondFactorChannel,
  now = new Date(),
): Promise<
  Result<{ channel: SecondFactorChannel; to: string }, 'second_factor.no_channel' | 'second_factor.too_many'>
> {
  const [row] = await db
    .select({ account: accounts, operatorName: operators.name })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)));
  const destination = (await secondFactorChannels(db, actor))[channel];
  if (!row || !destination) return err('second_factor.no_channel');
  const { account } = row;
  const t = translator(account.locale);
  const values = { operator: row.operatorName[account.locale], code: newCode(), minutes: CODE_MINUTES };
  const sent = await db.transaction((tx) =>
    sendCode(tx, {
      operatorId: actor.operatorId,
      accountId: actor.accountId,
      perHour: MAX_CODES_PER_HOUR,
      purpose: 'second_factor',
      channel,
      destination,
      code: values.code,
      expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
      now,
      keyPrefix: 'second-factor',
      message: {
        subject: t('email.secondFactor.subject', values),
        text: t(channel === 'email' ? 'email.secondFactor.body' : 'sms.secondFactor', values),
      },
    }),
  );
  if (!sent) return err('second_factor.too_many');
  return ok({ channel, to: channel === 'email' ? maskEmail(destination) : maskMsisdn(destination) });
}

/** A correct code marks the session as having passed the second factor just now. */
export async function verifySecondFactor(
  db: Db,
  actor: SessionActor,
  code: string,
  now = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const matches =
      (await consumeCode(tx, { accountId: actor.accountId, purpose: 'second_factor', code, now })) !== null;
    if (matches)
      await tx
        .update(sessions)
        .set({ secondFactorAt: now })
        .where(and(eq(sessions.id, actor.sessionId), eq(sessions.accountId, actor.accountId)));
    return matches;
  });
}
