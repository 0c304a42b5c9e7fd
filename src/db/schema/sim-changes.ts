import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { CHANNELS } from '../../domain/replacement.ts';
import { at, id, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';
import { replacementRequests } from './requests.ts';
import { sims } from './sims.ts';
import { lines } from './subscribers.ts';

/** Every SIM change of a line, the record the CAMARA SIM Swap API answers from. */
export const simChanges = pgTable(
  'sim_changes',
  {
    id: id(),
    operatorId: operatorId(),
    lineId: uuid('line_id').notNull(),
    msisdn: text('msisdn').notNull(),
    oldSimId: uuid('old_sim_id'),
    newSimId: uuid('new_sim_id').notNull(),
    requestId: uuid('request_id'),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    changedAt: at('changed_at').notNull().defaultNow(),
  },
  (t) => [
    sameOperator('sim_changes_line_fk', t.operatorId, t.lineId, lines),
    sameOperator('sim_changes_old_sim_fk', t.operatorId, t.oldSimId, sims),
    sameOperator('sim_changes_new_sim_fk', t.operatorId, t.newSimId, sims),
    sameOperator('sim_changes_request_fk', t.operatorId, t.requestId, replacementRequests),
    oneOf('sim_changes_channel_check', t.channel, CHANNELS),
    index('sim_changes_msisdn_idx').on(t.msisdn, t.changedAt.desc()),
  ],
);
