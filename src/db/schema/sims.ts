import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, unique, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { FORM_FACTORS, SIM_STATUSES } from '../../domain/replacement.ts';
import { serviceCenters } from './centers.ts';
import { at, createdAt, id, oneOf, sameOperator } from './columns.ts';
import { operatorId } from './operators.ts';
import { lines } from './subscribers.ts';

/**
 * Cards sent from one place to another (a null place is the central warehouse). They travel as
 * `in_transit` already booked to the destination and are stock there once someone receives them.
 */
export const simTransfers = pgTable(
  'sim_transfers',
  {
    id: id(),
    operatorId: operatorId(),
    fromCenterId: uuid('from_center_id'),
    toCenterId: uuid('to_center_id'),
    cards: integer('cards').notNull(),
    sentByStaffId: uuid('sent_by_staff_id').notNull(),
    receivedByStaffId: uuid('received_by_staff_id'),
    receivedAt: at('received_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('sim_transfers_operator_id_key').on(t.operatorId, t.id),
    sameOperator('sim_transfers_from_fk', t.operatorId, t.fromCenterId, serviceCenters),
    sameOperator('sim_transfers_to_fk', t.operatorId, t.toCenterId, serviceCenters),
    check('sim_transfers_places_check', sql`${t.fromCenterId} is distinct from ${t.toCenterId}`),
    check('sim_transfers_cards_check', sql`${t.cards} > 0`),
    index('sim_transfers_open_idx').on(t.operatorId).where(sql`${t.receivedAt} is null`),
  ],
);

/** A physical SIM card or an eSIM profile, in stock or in use. */
export const sims = pgTable(
  'sims',
  {
    id: id(),
    operatorId: operatorId(),
    iccid: varchar('iccid', { length: 20 }).notNull().unique(),
    imsi: varchar('imsi', { length: 15 }).notNull().unique(),
    formFactor: text('form_factor', { enum: FORM_FACTORS }).notNull(),
    /** SM-DP+ matching id of an eSIM profile. */
    esimMatchingId: text('esim_matching_id').unique(),
    /** The SM-DP+ that made the profile for its request (ES2+); null for a profile loaded into stock. */
    esimSmdpAddress: text('esim_smdp_address'),
    batch: text('batch'),
    /** The center holding it; null means the central warehouse. */
    centerId: uuid('center_id'),
    status: text('status', { enum: SIM_STATUSES }).notNull().default('in_stock'),
    lineId: uuid('line_id'),
    /** The transfer carrying it between places while it is `in_transit` to its new place. */
    transferId: uuid('transfer_id'),
    activatedAt: at('activated_at'),
    deactivatedAt: at('deactivated_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('sims_operator_id_key').on(t.operatorId, t.id),
    sameOperator('sims_center_fk', t.operatorId, t.centerId, serviceCenters),
    sameOperator('sims_line_fk', t.operatorId, t.lineId, lines),
    sameOperator('sims_transfer_fk', t.operatorId, t.transferId, simTransfers),
    oneOf('sims_form_factor_check', t.formFactor, FORM_FACTORS),
    oneOf('sims_status_check', t.status, SIM_STATUSES),
    check('sims_iccid_check', sql`${t.iccid} ~ '^89[0-9]{17,18}$'`),
    check('sims_imsi_check', sql`${t.imsi} ~ '^[0-9]{15}$'`),
    check('sims_esim_profile_check', sql`(${t.formFactor} = 'esim') = (${t.esimMatchingId} is not null)`),
    check('sims_active_line_check', sql`${t.status} <> 'active' or ${t.lineId} is not null`),
    uniqueIndex('sims_one_active_per_line_idx').on(t.lineId).where(sql`${t.status} = 'active'`),
    index('sims_stock_idx').on(t.operatorId, t.centerId, t.status, t.formFactor),
  ],
);
