import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, count, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { type OTP_CHANNELS, type OTP_PURPOSES, otpChallenges } from '../../db/schema/security.ts';
import { lines } from '../../db/schema/subscribers.ts';
import { enqueue } from '../outbox/outbox.ts';
import { serializeOn } from '../transact.ts';
import { sha256 } from './tokens.ts';

/** Wrong tries allowed per code before it stops working. */
export const MAX_CODE_ATTEMPTS = 5;

type Purpose = (typeof OTP_PURPOSES)[number];
type Channel = (typeof OTP_CHANNELS)[number];

/** A 6-digit code; only its hash, salted with the account id, is stored. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
const codeHash = (accountId: string, code: string) => sha256(`${accountId}:${code}`);

/** Codes of this purpose sent to the account since `since`, for rate limits. */
export async function codesSince(db: Db | Tx, accountId: string, purpose: Purpose, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(otpChallenges)
    .where(
      and(
        eq(otpChallenges.accountId, accountId),
        eq(otpChallenges.purpose, purpose),
        gt(otpChallenges.createdAt, since),
      ),
    );
  return row?.n ?? 0;
}

type NewCode = {
  operatorId: string;
  accountId: string;
  purpose: Purpose;
  channel: Channel;
  destination: string;
  code: string;
  expiresAt: Date;
  now: Date;
};

/**
 * Stores a code and sends it, in the caller's transaction: by e-mail with a subject, or by SMS
 * with the text alone, unless the account was sent `perHour` codes of this purpose in the last
 * hour (then nothing is sent and the answer is false). The count is made under a lock on the
 * account and purpose, so parallel requests cannot each find room under the limit. The outbox
 * key starts with `keyPrefix` and names the code.
 */
export async function sendCode(
  tx: Tx,
  c: NewCode & { keyPrefix: string; perHour: number; message: { subject: string; text: string } },
): Promise<boolean> {
  // The last guard: a code never goes to a line of the same account (it may be the stolen phone).
  if (c.channel === 'sms' && (await isOwnLine(tx, c.accountId, c.destination)))
    throw new Error(`refusing to send a ${c.purpose} code to a line of account ${c.accountId}`);
  await serializeOn(tx, `codes:${c.accountId}:${c.purpose}`);
  if ((await codesSince(tx, c.accountId, c.purpose, new Date(c.now.getTime() - 3_600_000))) >= c.perHour) return false;
  const id = await storeCode(tx, c);
  const idempotencyKey = `${c.keyPrefix}:${id}`;
  if (c.channel === 'email')
    await enqueue(tx, {
      operatorId: c.operatorId,
      topic: 'email.send',
      payload: { to: c.destination, ...c.message },
      idempotencyKey,
    });
  else
    await enqueue(tx, {
      operatorId: c.operatorId,
      topic: 'sms.send',
      payload: { to: c.destination, text: c.message.text },
      idempotencyKey,
    });
  return true;
}

/** Whether the phone is one of the account's own lines. */
export async function isOwnLine(db: Db | Tx, accountId: string, phone: string): Promise<boolean> {
  const [line] = await db
    .select({ id: lines.id })
    .from(lines)
    .where(and(eq(lines.accountId, accountId), eq(lines.msisdn, phone), ne(lines.status, 'terminated')));
  return line !== undefined;
}

async function storeCode(tx: Tx, c: NewCode): Promise<string> {
  const [row] = await tx
    .insert(otpChallenges)
    .values({
      operatorId: c.operatorId,
      accountId: c.accountId,
      purpose: c.purpose,
      channel: c.channel,
      destination: c.destination,
      codeHash: codeHash(c.accountId, c.code),
      expiresAt: c.expiresAt,
      createdAt: c.now,
    })
    .returning({ id: otpChallenges.id });
  return (row as { id: string }).id;
}

/**
 * Checks a code against the account's latest open one of this purpose and uses it up when it
 * matches, answering where it had been sent. Every try counts, so guessing stops after a few.
 */
export async function consumeCode(
  tx: Tx,
  c: { accountId: string; purpose: Purpose; code: string; now: Date },
): Promise<{ channel: Channel; destination: string } | null> {
  const [challenge] = await tx
    .select()
    .from(otpChallenges)
    .where(
      and(
        eq(otpChallenges.accountId, c.accountId),
        eq(otpChallenges.purpose, c.purpose),
        isNull(otpChallenges.consumedAt),
        gt(otpChallenges.expiresAt, c.now),
      ),
    )
    .orderBy(desc(otpChallenges.createdAt))
    .limit(1)
    .for('update');
  if (!challenge || challenge.attempts >= MAX_CODE_ATTEMPTS) return null;
  const expected = Buffer.from(challenge.codeHash);
  const given = Buffer.from(codeHash(c.accountId, c.code.replace(/\s/g, '')));
  const matches = expected.length === given.length && timingSafeEqual(expected, given);
  await tx
    .update(otpChallenges)
    .set({ attempts: challenge.attempts + 1, ...(matches ? { consumedAt: c.now } : {}) })
    .where(eq(otpChallenges.id, challenge.id));
  return matches ? { channel: challenge.channel, destination: challenge.destination } : null;
}
