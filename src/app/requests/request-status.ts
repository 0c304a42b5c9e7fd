import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { readModel, rowFromJson } from '../../db/json-rows.ts';
import { payments, replacementRequests, requestEvents } from '../../db/schema/requests.ts';
import type { Payment } from '../payments/payments.ts';
import type { AccountRef, ReplacementRequest } from './replacement-draft.ts';

export type TimelineEvent = typeof requestEvents.$inferSelect;
export type RequestStatusView = {
  request: ReplacementRequest;
  msisdn: string;
  /** Oldest first. */
  events: TimelineEvent[];
  /** Newest first. */
  payments: Payment[];
};

type Row = Record<string, unknown>;
type Model = { request: Row; msisdn: string; events: Row[]; payments: Row[] };

/** One of the account's own requests with its number, timeline and payments, in one call (a read model). */
export async function requestStatus(db: Db, actor: AccountRef, requestId: string): Promise<RequestStatusView | null> {
  const model = await readModel<Model>(
    db,
    sql`portal_request_status(${actor.operatorId}, ${actor.accountId}, ${requestId})`,
  );
  if (!model) return null;
  return {
    request: rowFromJson(replacementRequests, model.request),
    msisdn: model.msisdn,
    events: model.events.map((e) => rowFromJson(requestEvents, e)),
    payments: model.payments.map((p) => rowFromJson(payments, p)),
  };
}
