import { and, eq, notInArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { accounts } from '../../db/schema/subscribers.ts';
import { TERMINAL_STATUSES } from '../../domain/request-machine.ts';
import { lockState, requestLock, type SimChangeLockState } from '../../domain/sim-change-lock.ts';
import { formatDateTime, translator } from '../../i18n/translate.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { enqueue } from '../outbox/outbox.ts';

type Actor = { operatorId: string; accountId: string; ip: string };

/**
 * Turns the lock on at once, or schedules its release after the operator's waiting period.
 * Each change is audited and e-mailed to the account's address, so an intruder cannot quietly
 * release it.
 */
export async function setSimChangeLock(
  db: Db,
  actor: Actor,
  wantOn: boolean,
  now = new Date(),
): Promise<SimChangeLockState> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        on: accounts.simChangeLock,
        releaseAt: accounts.lockReleaseAt,
        email: accounts.email,
        locale: accounts.locale,
        hours: operators.lockReleaseHours,
        operatorName: operators.name,
        timeZone: operators.timeZone,
      })
      .from(accounts)
      .innerJoin(operators, eq(operators.id, accounts.operatorId))
      .where(and(eq(accounts.operatorId, actor.operatorId), eq(accounts.id, actor.accountId)))
      .for('update', { of: accounts });
    if (!row) throw new Error('account not found');
    const next = requestLock(row, wantOn, row.hours, now);
    const state = lockState(next, now);
    const unchanged = next.on === row.on && next.releaseAt?.getTime() === row.releaseAt?.getTime();
    if (unchanged || state.state === 'off') return state;
    await tx
      .update(accounts)
      .set({ simChangeLock: next.on, lockReleaseAt: next.releaseAt })
      .where(eq(accounts.id, actor.accountId));
    const action = state.state === 'releasing' ? 'account.sim_lock_release' : 'account.sim_lock_on';
    await appendAudit(
      tx,
      {
        operatorId: actor.operatorId,
        actorKind: 'subscriber',
        actorId: actor.accountId,
        action,
        targetKind: 'account',
        targetId: actor.accountId,
        ip: actor.ip,
        data: next.releaseAt ? { releaseAt: next.releaseAt.toISOString() } : {},
      },
      now,
    );
    if (row.email) {
      const t = translator(row.locale);
      const operator = row.operatorName[row.locale];
      const at = state.state === 'releasing' ? formatDateTime(row.locale, state.releaseAt, row.timeZone) : '';
      // A request already sent is held by the lock (see request-transitions): say so.
      const held = state.state === 'on' && (await pendingRequests(tx, actor.accountId)) > 0;
      const body = t(`email.lock.${state.state}.body`, { operator, at });
      await enqueue(tx, {
        operatorId: actor.operatorId,
        topic: 'email.send',
        payload: {
          to: row.email,
          subject: t(`email.lock.${state.state}.subject`, { operator }),
          text: held ? `${body}\n\n${t('email.lock.on.pending')}` : body,
        },
        idempotencyKey: `sim-lock:${actor.accountId}:${now.getTime()}`,
      });
    }
    return state;
  });
}

async function pendingRequests(tx: Tx, accountId: string) {
  const open = await tx
    .select({ id: replacementRequests.id })
    .from(replacementRequests)
    .where(
      and(
        eq(replacementRequests.accountId, accountId),
        notInArray(replacementRequests.status, ['draft', ...TERMINAL_STATUSES]),
      ),
    );
  return open.length;
}
