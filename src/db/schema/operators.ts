import { sql } from 'drizzle-orm';
import { boolean, char, check, integer, jsonb, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CHANNELS, DELIVERIES, REASONS, SIM_TYPES } from '../../domain/replacement.ts';
import { createdAt, id, type LocalizedText, oneOf } from './columns.ts';

export const ONLINE_REPLACEMENT_POLICIES = ['everyone', 'citizens_only', 'nobody'] as const;

/** A brand served by this deployment. Every tenant-owned row references one. */
export const operators = pgTable(
  'operators',
  {
    id: id(),
    slug: text('slug').notNull().unique(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    hostnames: text('hostnames').array().notNull().default(sql`'{}'::text[]`),
    /** Scheme and host people use for this brand, for links in messages; null: its first host name on PUBLIC_URL's scheme and port. */
    publicUrl: text('public_url'),
    countryCode: char('country_code', { length: 2 }).notNull().default('RU'),
    currency: char('currency', { length: 3 }).notNull().default('RUB'),
    timeZone: text('time_zone').notNull().default('Europe/Moscow'),
    supportPhone: text('support_phone').notNull(),
    supportEmail: text('support_email').notNull(),
    esimEnabled: boolean('esim_enabled').notNull().default(true),
    smdpAddress: text('smdp_address'),
    /** Who may replace a SIM online; the rest must come to a center (e.g. 303-FZ for foreign citizens). */
    onlineReplacement: text('online_replacement', { enum: ONLINE_REPLACEMENT_POLICIES }).notNull().default('everyone'),
    /** No online replacement for this long after a password or contact change. */
    coolingOffHours: integer('cooling_off_hours').notNull().default(72),
    documentRetentionDays: integer('document_retention_days').notNull().default(30),
    /** Requests whose risk score reaches this need a second reviewer. */
    fourEyesRiskThreshold: integer('four_eyes_risk_threshold').notNull().default(60),
    /** An approved online swap waits this long after the notifications so the owner can stop it. */
    swapHoldMinutes: integer('swap_hold_minutes').notNull().default(15),
    /** Switching the SIM-change lock off takes effect after this wait. */
    lockReleaseHours: integer('lock_release_hours').notNull().default(24),
    /** Couriers check the passport at the door (type and last digits) before handing a card over. */
    courierPassportCheck: boolean('courier_passport_check').notNull().default(true),
    /** A pickup is activated by the agent at the counter; otherwise the subscriber activates it online with the ICCID. */
    pickupActivatesAtCounter: boolean('pickup_activates_at_counter').notNull().default(true),
    /** How many days of SIM change history the SIM Swap API may speak of (local rules); null: all of it. */
    simSwapMonitoredDays: integer('sim_swap_monitored_days'),
    /** Target time from submission to activation, for reports. */
    slaHours: integer('sla_hours').notNull().default(120),
    /** Visits one person (account, phone or address) may have booked and not yet made. */
    activeVisitsCap: integer('active_visits_cap').notNull().default(2),
    /** Visit codes sent by SMS to people not signed in: at most this many an hour, and a day (then admins are told). */
    visitSmsPerHour: integer('visit_sms_per_hour').notNull().default(300),
    visitSmsPerDay: integer('visit_sms_per_day').notNull().default(2_000),
    /** Countries (ISO 3166 codes) visit codes may be sent to besides the operator's own: SMS pumping pays per foreign text. */
    smsCountries: text('sms_countries').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    oneOf('operators_online_replacement_check', t.onlineReplacement, ONLINE_REPLACEMENT_POLICIES),
    check('operators_monitored_days_check', sql`${t.simSwapMonitoredDays} is null or ${t.simSwapMonitoredDays} > 0`),
    check('operators_public_url_check', sql`${t.publicUrl} ~ '^https?://[^/?#]+$'`),
    check(
      'operators_policy_ranges_check',
      sql`${t.coolingOffHours} >= 0 and ${t.documentRetentionDays} > 0 and ${t.fourEyesRiskThreshold} between 0 and 100 and ${t.swapHoldMinutes} >= 0 and ${t.lockReleaseHours} >= 0 and ${t.slaHours} > 0 and ${t.activeVisitsCap} > 0 and ${t.visitSmsPerHour} > 0 and ${t.visitSmsPerDay} > 0`,
    ),
  ],
);

export const operatorId = () =>
  uuid('operator_id')
    .notNull()
    .references(() => operators.id);

/** One row of an operator's fee table; null criteria match anything (see domain/fees.ts). */
export const feeRules = pgTable(
  'fee_rules',
  {
    id: id(),
    operatorId: operatorId(),
    reason: text('reason', { enum: REASONS }),
    simType: text('sim_type', { enum: SIM_TYPES }),
    channel: text('channel', { enum: CHANNELS }),
    delivery: text('delivery', { enum: DELIVERIES }),
    amountMinor: integer('amount_minor').notNull(),
    freeIfFirstWithinMonths: integer('free_if_first_within_months'),
    createdAt: createdAt(),
  },
  (t) => [
    oneOf('fee_rules_reason_check', t.reason, REASONS),
    oneOf('fee_rules_sim_type_check', t.simType, SIM_TYPES),
    oneOf('fee_rules_channel_check', t.channel, CHANNELS),
    oneOf('fee_rules_delivery_check', t.delivery, DELIVERIES),
    check('fee_rules_amount_check', sql`${t.amountMinor} >= 0`),
    check('fee_rules_waiver_check', sql`${t.freeIfFirstWithinMonths} is null or ${t.freeIfFirstWithinMonths} > 0`),
  ],
);

/** Where a courier goes and how long it takes, e.g. 2–5 days in a capital, 1–3 weeks in remote regions. */
export const deliveryZones = pgTable(
  'delivery_zones',
  {
    id: id(),
    operatorId: operatorId(),
    code: text('code').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    /** City keys (see service_centers.city_key) this zone covers; the default zone covers the rest. */
    cities: text('cities').array().notNull().default(sql`'{}'::text[]`),
    /** Postcode beginnings this zone covers, e.g. "10"–"14" for Moscow; they decide where the city is not known. */
    postcodePrefixes: text('postcode_prefixes').array().notNull().default(sql`'{}'::text[]`),
    isDefault: boolean('is_default').notNull().default(false),
    minDays: integer('min_days').notNull(),
    maxDays: integer('max_days').notNull(),
    courierFeeMinor: integer('courier_fee_minor').notNull().default(0),
  },
  (t) => [
    unique('delivery_zones_operator_id_key').on(t.operatorId, t.id),
    unique('delivery_zones_operator_code_key').on(t.operatorId, t.code),
    uniqueIndex('delivery_zones_one_default_idx').on(t.operatorId).where(sql`${t.isDefault}`),
    check('delivery_zones_days_check', sql`${t.minDays} > 0 and ${t.minDays} <= ${t.maxDays}`),
    check('delivery_zones_fee_check', sql`${t.courierFeeMinor} >= 0`),
    check(
      'delivery_zones_postcodes_check',
      sql`array_to_string(${t.postcodePrefixes}, ',') ~ '^([0-9]{1,6}(,[0-9]{1,6})*)?$'`,
    ),
  ],
);

/** The operator's own questions and answers, shown on its FAQ page after the built-in ones, in every language. */
export const faqEntries = pgTable(
  'faq_entries',
  {
    id: id(),
    operatorId: operatorId(),
    position: integer('position').notNull(),
    question: jsonb('question').$type<LocalizedText>().notNull(),
    answer: jsonb('answer').$type<LocalizedText>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('faq_entries_position_idx').on(t.operatorId, t.position)],
);
