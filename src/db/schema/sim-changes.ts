import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { CHANNELS } from '../../domain/replacement.ts';
import { at, id, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';
import { replacementRequests } from './requests.ts';
import { sims } from './sims.ts';
import { lines } from './subscribers.ts';

/** `simdesk`: made here, with its line, SIMs and channel; `import`: history loaded from the operator's records. */
export const SIM_CHANGE_SOURCES = ['simdesk', 'import'] as const;

/** Every SIM change of a number, the record the CAMARA SIM Swap API answers from. */
export const simChanges = pgTable(
  'sim_changes',
  {
    id: id(),
    operatorId: operatorId(),
    lineId: uuid('line_id'),
    msisdn: text('msisdn').notNull(),
    oldSimId: uuid('old_sim_id'),
    newSimId: uuid('new_sim_id'),
    requestId: uuid('request_id'),
    channel: text('channel', { enum: CHANNELS }),
    source: text('source', { enum: SIM_CHANGE_SOURCES }).notNull().default('simdesk'),
    changedAt: at('changed_at').notNull().defaultNow(),
  },
  (t) => [
    sameOperator('sim_changes_line_fk', t.operatorId, t.lineId, lines),
    sameOperator('sim_changes_old_sim_fk', t.operatorId, t.oldSimId, sims),
    sameOperator('sim_changes_new_sim_fk', t.operatorId, t.newSimId, sims),
    sameOperator('sim_changes_request_fk', t.operatorId, t.requestId, replacementRequests),
    oneOf('sim_changes_channel_check', t.channel, CHANNELS),
    oneOf('sim_changes_source_check', t.source, SIM_CHANGE_SOURCES),
    check(
      'sim_changes_made_here_check',
      sql`${t.source} = 'import' or (${t.lineId} is not null and ${t.newSimId} is not null and ${t.channel} is not null)`,
    ),
    index('sim_changes_msisdn_idx').on(t.msisdn, t.changedAt.desc()),
  ],
);
