import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { sessions } from '../../db/schema/security.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import { isTerminal } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links, OperatorAddress } from '../operators/links.ts';
import { transact } from '../transact.ts';
import { applyRequestEvent } from './request-transitions.ts';

const mac = (secret: string, requestId: string) =>
  createHmac('sha256', secret).update(`wasnt-me:${requestId}`).digest('base64url');

/** The "This wasn't me" link in every notice: signed, so it needs no table and cannot be guessed. */
export function wasntMeLink(links: Links, operator: OperatorAddress, requestId: string): string {
  return `${links.base(operator)}/wasnt-me/${requestId}.${mac(links.secret, requestId)}`;
}

function verify(secret: string, token: string): string | null {
  const [requestId, given] = token.split('.');
  if (!requestId || !given || !/^[0-9a-f-]{36}$/.test(requestId)) return null;
  const expected = Buffer.from(mac(secret, requestId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? requestId : null;
}

export const isWasntMeToken = (secret: string, token: string) => verify(secret, token) !== null;

/**
 * The owner says a request is not theirs: the request is frozen (its SIM released), the account
 * frozen with the SIM-change lock on, and every session of it signed out, since whoever made the
 * request may be signed in. Repeating it changes nothing more.
 */
export async function reportNotMe(
  db: Db,
  secret: string,
  operatorId: string,
  token: string,
  ip: string,
  now = new Date(),
): Promise<Result<{ reference: string }, 'link.invalid'>> {
  const requestId = verify(secret, token);
  if (!requestId) return err('link.invalid');
  return transact(db, async (tx) => {
    const [request] = await tx
      .select()
      .from(replacementRequests)
      .where(and(eq(replacementRequests.operatorId, operatorId), eq(replacementRequests.id, requestId)))
      .for('update');
    if (!request) return err('link.invalid' as const);
    const active = !isTerminal(request.status) && request.status !== 'frozen';
    if (active) await applyRequestEvent(tx, request, { type: 'freeze' }, { kind: 'subscriber', id: null }, now);
    const [account] = await tx
      .update(accounts)
      .set({ simChangeLock: true, lockReleaseAt: null })
      .where(eq(accounts.id, request.accountId))
      .returning({ frozenAt: accounts.frozenAt });
    if (!account?.frozenAt) await tx.update(accounts).set({ frozenAt: now }).where(eq(accounts.id, request.accountId));
    await tx.delete(sessions).where(eq(sessions.accountId, request.accountId));
    await appendAudit(
      tx,
      {
        operatorId: request.operatorId,
        actorKind: 'subscriber',
        actorId: null,
        action: 'request.reported_not_me',
        targetKind: 'replacement_request',
        targetId: request.id,
        ip,
        data: { reference: request.reference, frozeRequest: active },
      },
      now,
    );
    return ok({ reference: request.reference });
  });
}
