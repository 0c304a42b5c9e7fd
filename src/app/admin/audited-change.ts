import type { Tx } from '../../db/client.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { StaffActor } from '../requests/staff-step.ts';

type Values = Record<string, unknown>;

/** Who changes the operator's settings: a staff member, or an API client of the operator. */
export type Changer = StaffActor | { operatorId: string; clientId: string; ip: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields that differ, each with its value before and after. */
export function changes(before: Values, after: Values): { before: Values; after: Values } {
  const keys = Object.keys(after).filter((k) => !same(before[k], after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])),
  };
}

/** An administrator's change, audited with the values before and after; nothing is written when nothing changed. */
export async function auditChange(
  tx: Tx,
  by: Changer,
  action: string,
  target: { kind: string; id: string },
  before: Values | null,
  after: Values | null,
  now = new Date(),
): Promise<boolean> {
  const diff = before && after ? changes(before, after) : { before, after };
  if (before && after && Object.keys(diff.after ?? {}).length === 0) return false;
  await appendAudit(
    tx,
    {
      operatorId: by.operatorId,
      ...('staffId' in by
        ? { actorKind: 'staff', actorId: by.staffId }
        : { actorKind: 'api_client', actorId: by.clientId }),
      action,
      targetKind: target.kind,
      targetId: target.id,
      ip: by.ip,
      data: diff,
    },
    now,
  );
  return true;
}
