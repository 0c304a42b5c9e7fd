import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readModel, rowFromJson } from '../../db/json-rows.ts';
import { lines } from '../../db/schema/subscribers.ts';
import type { FormFactor } from '../../domain/replacement.ts';
import type { RequestStatus } from '../../domain/request-machine.ts';
import type { SimChangeLock } from '../../domain/sim-change-lock.ts';

export type LineOverview = {
  id: string;
  msisdn: string;
  kind: 'voice' | 'data';
  status: 'active' | 'blocked' | 'terminated';
  formFactor: FormFactor | null;
  lastSimChangeAt: Date | null;
};

export type RequestOverview = { id: string; reference: string; msisdn: string; status: RequestStatus };
export type AccountOverview = {
  fullName: string;
  lines: LineOverview[];
  requests: RequestOverview[];
  /** As stored; the page tells its state at the time it is shown. */
  lock: SimChangeLock & { releaseHours: number };
};

type Model = {
  full_name: string;
  sim_change_lock: boolean;
  lock_release_at: string | null;
  lock_release_hours: number;
  lines: { line: Record<string, unknown>; form_factor: FormFactor | null }[];
  requests: { id: string; reference: string; status: RequestStatus; line_id: string }[];
};

/**
 * The signed-in subscriber's own account, its lines with their SIMs, its requests and its
 * SIM-change lock, in one call (the `portal_account_overview` read model); always scoped by
 * operator and account id.
 */
export async function loadAccountOverview(
  db: Db,
  operatorId: string,
  accountId: string,
): Promise<AccountOverview | null> {
  const model = await readModel<Model>(db, sql`portal_account_overview(${operatorId}, ${accountId})`);
  if (!model) return null;
  const owned = model.lines.map(({ line, form_factor }) => ({ ...rowFromJson(lines, line), formFactor: form_factor }));
  const numbers = new Map(owned.map((l) => [l.id, l.msisdn]));
  return {
    fullName: model.full_name,
    lines: owned.map(({ id, msisdn, kind, status, formFactor, lastSimChangeAt }) => ({
      id,
      msisdn,
      kind,
      status,
      formFactor,
      lastSimChangeAt,
    })),
    requests: model.requests.map((r) => ({
      id: r.id,
      reference: r.reference,
      status: r.status,
      msisdn: numbers.get(r.line_id) ?? '',
    })),
    lock: {
      on: model.sim_change_lock,
      releaseAt: model.lock_release_at === null ? null : new Date(model.lock_release_at),
      releaseHours: model.lock_release_hours,
    },
  };
}
