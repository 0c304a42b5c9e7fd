CREATE TABLE "center_exceptions" (
	"operator_id" uuid NOT NULL,
	"center_id" uuid NOT NULL,
	"date" date NOT NULL,
	"intervals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" jsonb,
	CONSTRAINT "center_exceptions_center_id_date_pk" PRIMARY KEY("center_id","date")
);
--> statement-breakpoint
CREATE TABLE "center_hours" (
	"operator_id" uuid NOT NULL,
	"center_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"opens" time NOT NULL,
	"closes" time NOT NULL,
	CONSTRAINT "center_hours_center_id_weekday_opens_pk" PRIMARY KEY("center_id","weekday","opens"),
	CONSTRAINT "center_hours_weekday_check" CHECK ("center_hours"."weekday" between 1 and 7),
	CONSTRAINT "center_hours_interval_check" CHECK ("center_hours"."opens" < "center_hours"."closes")
);
--> statement-breakpoint
CREATE TABLE "service_centers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"city_key" text NOT NULL,
	"city" jsonb NOT NULL,
	"address" jsonb NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"time_zone" text NOT NULL,
	"phone" text NOT NULL,
	"offers_esim" boolean DEFAULT true NOT NULL,
	"offers_pickup" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_centers_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "service_centers_operator_code_key" UNIQUE("operator_id","code"),
	CONSTRAINT "service_centers_position_check" CHECK ("service_centers"."latitude" between -90 and 90 and "service_centers"."longitude" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "delivery_zones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"cities" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"min_days" integer NOT NULL,
	"max_days" integer NOT NULL,
	"courier_fee_minor" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "delivery_zones_operator_code_key" UNIQUE("operator_id","code"),
	CONSTRAINT "delivery_zones_days_check" CHECK ("delivery_zones"."min_days" > 0 and "delivery_zones"."min_days" <= "delivery_zones"."max_days"),
	CONSTRAINT "delivery_zones_fee_check" CHECK ("delivery_zones"."courier_fee_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "fee_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"reason" text,
	"sim_type" text,
	"channel" text,
	"delivery" text,
	"amount_minor" integer NOT NULL,
	"free_if_first_within_months" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_rules_reason_check" CHECK ("fee_rules"."reason" in ('lost', 'stolen', 'damaged', 'not_working', 'switch_to_esim', 'new_size')),
	CONSTRAINT "fee_rules_sim_type_check" CHECK ("fee_rules"."sim_type" in ('physical', 'esim')),
	CONSTRAINT "fee_rules_channel_check" CHECK ("fee_rules"."channel" in ('online', 'counter')),
	CONSTRAINT "fee_rules_delivery_check" CHECK ("fee_rules"."delivery" in ('courier', 'pickup', 'esim', 'counter')),
	CONSTRAINT "fee_rules_amount_check" CHECK ("fee_rules"."amount_minor" >= 0),
	CONSTRAINT "fee_rules_waiver_check" CHECK ("fee_rules"."free_if_first_within_months" is null or "fee_rules"."free_if_first_within_months" > 0)
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" jsonb NOT NULL,
	"hostnames" text[] DEFAULT '{}'::text[] NOT NULL,
	"country_code" char(2) DEFAULT 'RU' NOT NULL,
	"currency" char(3) DEFAULT 'RUB' NOT NULL,
	"time_zone" text DEFAULT 'Europe/Moscow' NOT NULL,
	"support_phone" text NOT NULL,
	"support_email" text NOT NULL,
	"esim_enabled" boolean DEFAULT true NOT NULL,
	"smdp_address" text,
	"online_replacement" text DEFAULT 'everyone' NOT NULL,
	"cooling_off_hours" integer DEFAULT 72 NOT NULL,
	"document_retention_days" integer DEFAULT 30 NOT NULL,
	"four_eyes_risk_threshold" integer DEFAULT 60 NOT NULL,
	"swap_hold_minutes" integer DEFAULT 15 NOT NULL,
	"lock_release_hours" integer DEFAULT 24 NOT NULL,
	"sla_hours" integer DEFAULT 120 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operators_slug_unique" UNIQUE("slug"),
	CONSTRAINT "operators_online_replacement_check" CHECK ("operators"."online_replacement" in ('everyone', 'citizens_only', 'nobody')),
	CONSTRAINT "operators_policy_ranges_check" CHECK ("operators"."cooling_off_hours" >= 0 and "operators"."document_retention_days" > 0 and "operators"."four_eyes_risk_threshold" between 0 and 100 and "operators"."swap_hold_minutes" >= 0 and "operators"."lock_release_hours" >= 0 and "operators"."sla_hours" > 0)
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"center_id" uuid NOT NULL,
	"account_id" uuid,
	"request_id" uuid,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointments_status_check" CHECK ("appointments"."status" in ('booked', 'cancelled', 'attended', 'no_show')),
	CONSTRAINT "appointments_interval_check" CHECK ("appointments"."starts_at" < "appointments"."ends_at")
);
--> statement-breakpoint
CREATE TABLE "identity_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"request_id" uuid,
	"doc_type" text NOT NULL,
	"number_encrypted" text NOT NULL,
	"storage_key" text,
	"content_type" text,
	"size_bytes" integer,
	"sha256" text,
	"key_id" text NOT NULL,
	"verified_in_person" boolean DEFAULT false NOT NULL,
	"purge_after" timestamp with time zone NOT NULL,
	"purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_documents_type_check" CHECK ("identity_documents"."doc_type" in ('passport_ru', 'passport_foreign', 'residence_permit', 'other')),
	CONSTRAINT "identity_documents_content_type_check" CHECK ("identity_documents"."content_type" in ('image/jpeg', 'image/png', 'application/pdf')),
	CONSTRAINT "identity_documents_purged_check" CHECK ("identity_documents"."purged_at" is null or "identity_documents"."storage_key" is null)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"method" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text,
	"idempotency_key" text NOT NULL,
	"failure_reason" text,
	"succeeded_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "payments_provider_ref_key" UNIQUE("provider","provider_ref"),
	CONSTRAINT "payments_method_check" CHECK ("payments"."method" in ('card', 'ewallet', 'cash', 'card_terminal')),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('pending', 'requires_action', 'succeeded', 'failed', 'refund_pending', 'refunded')),
	CONSTRAINT "payments_amount_check" CHECK ("payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "replacement_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"account_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"reason" text,
	"sim_type" text,
	"delivery" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"center_id" uuid,
	"delivery_zone_id" uuid,
	"contact_name" text,
	"contact_phone" text,
	"contact_email" text,
	"delivery_address" jsonb,
	"fee_minor" integer DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'RUB' NOT NULL,
	"fee_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"paid_at" timestamp with time zone,
	"risk_score" integer DEFAULT 0 NOT NULL,
	"risk_signals" text[] DEFAULT '{}'::text[] NOT NULL,
	"four_eyes" boolean DEFAULT false NOT NULL,
	"first_approver_id" uuid,
	"second_approver_id" uuid,
	"approved_in_person" boolean DEFAULT false NOT NULL,
	"sim_id" uuid,
	"created_by_staff_id" uuid,
	"info_request" text,
	"rejection_reason" text,
	"hold_until" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"activated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "replacement_requests_reference_unique" UNIQUE("reference"),
	CONSTRAINT "replacement_requests_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "replacement_requests_channel_check" CHECK ("replacement_requests"."channel" in ('online', 'counter')),
	CONSTRAINT "replacement_requests_reason_check" CHECK ("replacement_requests"."reason" in ('lost', 'stolen', 'damaged', 'not_working', 'switch_to_esim', 'new_size')),
	CONSTRAINT "replacement_requests_sim_type_check" CHECK ("replacement_requests"."sim_type" in ('physical', 'esim')),
	CONSTRAINT "replacement_requests_delivery_check" CHECK ("replacement_requests"."delivery" in ('courier', 'pickup', 'esim', 'counter')),
	CONSTRAINT "replacement_requests_status_check" CHECK ("replacement_requests"."status" in ('draft', 'awaiting_payment', 'in_review', 'needs_info', 'second_review', 'approved', 'sim_assigned', 'dispatched', 'returned', 'delivered', 'ready_for_pickup', 'frozen', 'activated', 'rejected', 'cancelled', 'failed')),
	CONSTRAINT "replacement_requests_fee_check" CHECK ("replacement_requests"."fee_minor" >= 0),
	CONSTRAINT "replacement_requests_risk_check" CHECK ("replacement_requests"."risk_score" between 0 and 100),
	CONSTRAINT "replacement_requests_submitted_check" CHECK ("replacement_requests"."status" = 'draft' or ("replacement_requests"."reason" is not null and "replacement_requests"."sim_type" is not null and "replacement_requests"."delivery" is not null and "replacement_requests"."submitted_at" is not null)),
	CONSTRAINT "replacement_requests_distinct_approvers_check" CHECK ("replacement_requests"."second_approver_id" is null or "replacement_requests"."second_approver_id" <> "replacement_requests"."first_approver_id")
);
--> statement-breakpoint
CREATE TABLE "request_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "request_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"operator_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_events_from_status_check" CHECK ("request_events"."from_status" in ('draft', 'awaiting_payment', 'in_review', 'needs_info', 'second_review', 'approved', 'sim_assigned', 'dispatched', 'returned', 'delivered', 'ready_for_pickup', 'frozen', 'activated', 'rejected', 'cancelled', 'failed')),
	CONSTRAINT "request_events_to_status_check" CHECK ("request_events"."to_status" in ('draft', 'awaiting_payment', 'in_review', 'needs_info', 'second_review', 'approved', 'sim_assigned', 'dispatched', 'returned', 'delivered', 'ready_for_pickup', 'frozen', 'activated', 'rejected', 'cancelled', 'failed')),
	CONSTRAINT "request_events_actor_kind_check" CHECK ("request_events"."actor_kind" in ('subscriber', 'staff', 'system', 'api_client'))
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"carrier" text NOT NULL,
	"tracking_number" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"expected_from" date NOT NULL,
	"expected_to" date NOT NULL,
	"dispatched_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipments_tracking_key" UNIQUE("carrier","tracking_number"),
	CONSTRAINT "shipments_status_check" CHECK ("shipments"."status" in ('created', 'in_transit', 'delivered', 'returned')),
	CONSTRAINT "shipments_window_check" CHECK ("shipments"."expected_from" <= "shipments"."expected_to")
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"operator_id" uuid,
	"subject" text NOT NULL,
	"account_id" uuid,
	"staff_id" uuid,
	"identifier_hash" text NOT NULL,
	"ip" text NOT NULL,
	"succeeded" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_attempts_subject_check" CHECK ("login_attempts"."subject" in ('subscriber', 'staff'))
);
--> statement-breakpoint
CREATE TABLE "otp_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"channel" text NOT NULL,
	"destination" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "otp_challenges_purpose_check" CHECK ("otp_challenges"."purpose" in ('second_factor', 'password_reset', 'contact_change', 'reauthentication')),
	CONSTRAINT "otp_challenges_channel_check" CHECK ("otp_challenges"."channel" in ('email', 'sms')),
	CONSTRAINT "otp_challenges_attempts_check" CHECK ("otp_challenges"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "password_reset_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"channel" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_reset_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "password_reset_tokens_channel_check" CHECK ("password_reset_tokens"."channel" in ('email', 'sms'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"operator_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"account_id" uuid,
	"staff_id" uuid,
	"csrf_token" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reauthenticated_at" timestamp with time zone,
	"second_factor_at" timestamp with time zone,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_subject_check" CHECK ("sessions"."subject" in ('subscriber', 'staff')),
	CONSTRAINT "sessions_one_subject_check" CHECK (("sessions"."subject" = 'subscriber' and "sessions"."account_id" is not null and "sessions"."staff_id" is null) or ("sessions"."subject" = 'staff' and "sessions"."staff_id" is not null and "sessions"."account_id" is null))
);
--> statement-breakpoint
CREATE TABLE "sim_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"msisdn" text NOT NULL,
	"old_sim_id" uuid,
	"new_sim_id" uuid NOT NULL,
	"request_id" uuid,
	"channel" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sim_changes_channel_check" CHECK ("sim_changes"."channel" in ('online', 'counter'))
);
--> statement-breakpoint
CREATE TABLE "sims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"iccid" varchar(20) NOT NULL,
	"imsi" varchar(15) NOT NULL,
	"form_factor" text NOT NULL,
	"esim_matching_id" text,
	"batch" text,
	"center_id" uuid,
	"status" text DEFAULT 'in_stock' NOT NULL,
	"line_id" uuid,
	"activated_at" timestamp with time zone,
	"deactivated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sims_iccid_unique" UNIQUE("iccid"),
	CONSTRAINT "sims_imsi_unique" UNIQUE("imsi"),
	CONSTRAINT "sims_esim_matching_id_unique" UNIQUE("esim_matching_id"),
	CONSTRAINT "sims_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "sims_form_factor_check" CHECK ("sims"."form_factor" in ('triple', 'nano', 'micro', 'mini', 'esim')),
	CONSTRAINT "sims_status_check" CHECK ("sims"."status" in ('in_stock', 'reserved', 'in_transit', 'active', 'deactivated', 'lost', 'defective')),
	CONSTRAINT "sims_iccid_check" CHECK ("sims"."iccid" ~ '^89[0-9]{17,18}$'),
	CONSTRAINT "sims_imsi_check" CHECK ("sims"."imsi" ~ '^[0-9]{15}$'),
	CONSTRAINT "sims_esim_profile_check" CHECK (("sims"."form_factor" = 'esim') = ("sims"."esim_matching_id" is not null)),
	CONSTRAINT "sims_active_line_check" CHECK ("sims"."status" <> 'active' or "sims"."line_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"name" text NOT NULL,
	"client_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_clients_client_id_unique" UNIQUE("client_id")
);
--> statement-breakpoint
CREATE TABLE "staff_roles" (
	"operator_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "staff_roles_staff_id_role_pk" PRIMARY KEY("staff_id","role"),
	CONSTRAINT "staff_roles_role_check" CHECK ("staff_roles"."role" in ('reviewer', 'store_agent', 'logistics', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"email" text NOT NULL,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"totp_secret_encrypted" text,
	"totp_confirmed_at" timestamp with time zone,
	"center_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "staff_users_failed_logins_check" CHECK ("staff_users"."failed_logins" >= 0)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"full_name" text NOT NULL,
	"email" text,
	"email_verified_at" timestamp with time zone,
	"second_phone" text,
	"locale" text DEFAULT 'ru' NOT NULL,
	"citizenship" char(2) DEFAULT 'RU' NOT NULL,
	"password_hash" text,
	"password_changed_at" timestamp with time zone,
	"contacts_changed_at" timestamp with time zone,
	"sim_change_lock" boolean DEFAULT false NOT NULL,
	"lock_release_at" timestamp with time zone,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"frozen_at" timestamp with time zone,
	"import_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "accounts_locale_check" CHECK ("accounts"."locale" in ('ru', 'en', 'zh')),
	CONSTRAINT "accounts_second_phone_check" CHECK ("accounts"."second_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "accounts_failed_logins_check" CHECK ("accounts"."failed_logins" >= 0)
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"text_version" text NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"msisdn" text NOT NULL,
	"kind" text DEFAULT 'voice' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"blocked_at" timestamp with time zone,
	"last_sim_change_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lines_msisdn_unique" UNIQUE("msisdn"),
	CONSTRAINT "lines_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "lines_kind_check" CHECK ("lines"."kind" in ('voice', 'data')),
	CONSTRAINT "lines_status_check" CHECK ("lines"."status" in ('active', 'blocked', 'terminated')),
	CONSTRAINT "lines_msisdn_check" CHECK ("lines"."msisdn" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "lines_blocked_check" CHECK (("lines"."status" = 'blocked') = ("lines"."blocked_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"operator_id" uuid,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"target_kind" text,
	"target_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_hash_unique" UNIQUE("hash"),
	CONSTRAINT "audit_log_actor_kind_check" CHECK ("audit_log"."actor_kind" in ('subscriber', 'staff', 'system', 'api_client'))
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"operator_id" uuid,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('pending', 'sent', 'dead')),
	CONSTRAINT "outbox_attempts_check" CHECK ("outbox"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "center_exceptions" ADD CONSTRAINT "center_exceptions_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "center_exceptions" ADD CONSTRAINT "center_exceptions_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "center_hours" ADD CONSTRAINT "center_hours_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "center_hours" ADD CONSTRAINT "center_hours_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_centers" ADD CONSTRAINT "service_centers_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_zones" ADD CONSTRAINT "delivery_zones_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_rules" ADD CONSTRAINT "fee_rules_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_request_fk" FOREIGN KEY ("operator_id","request_id") REFERENCES "public"."replacement_requests"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_documents" ADD CONSTRAINT "identity_documents_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_documents" ADD CONSTRAINT "identity_documents_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_documents" ADD CONSTRAINT "identity_documents_request_fk" FOREIGN KEY ("operator_id","request_id") REFERENCES "public"."replacement_requests"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_request_fk" FOREIGN KEY ("operator_id","request_id") REFERENCES "public"."replacement_requests"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_delivery_zone_id_delivery_zones_id_fk" FOREIGN KEY ("delivery_zone_id") REFERENCES "public"."delivery_zones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_line_fk" FOREIGN KEY ("operator_id","line_id") REFERENCES "public"."lines"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_sim_fk" FOREIGN KEY ("operator_id","sim_id") REFERENCES "public"."sims"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_first_approver_fk" FOREIGN KEY ("operator_id","first_approver_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_second_approver_fk" FOREIGN KEY ("operator_id","second_approver_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_created_by_fk" FOREIGN KEY ("operator_id","created_by_staff_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_fk" FOREIGN KEY ("operator_id","request_id") REFERENCES "public"."replacement_requests"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_request_fk" FOREIGN KEY ("operator_id","request_id") REFERENCES "public"."replacement_requests"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "otp_challenges" ADD CONSTRAINT "otp_challenges_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "otp_challenges" ADD CONSTRAINT "otp_challenges_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_staff_fk" FOREIGN KEY ("operator_id","staff_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_line_fk" FOREIGN KEY ("operator_id","line_id") REFERENCES "public"."lines"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_old_sim_fk" FOREIGN KEY ("operator_id","old_sim_id") REFERENCES "public"."sims"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_new_sim_fk" FOREIGN KEY ("operator_id","new_sim_id") REFERENCES "public"."sims"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_request_fk" FOREIGN KEY ("operator_id","request_id") REFERENCES "public"."replacement_requests"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sims" ADD CONSTRAINT "sims_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sims" ADD CONSTRAINT "sims_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sims" ADD CONSTRAINT "sims_line_fk" FOREIGN KEY ("operator_id","line_id") REFERENCES "public"."lines"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_staff_fk" FOREIGN KEY ("operator_id","staff_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lines" ADD CONSTRAINT "lines_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lines" ADD CONSTRAINT "lines_account_fk" FOREIGN KEY ("operator_id","account_id") REFERENCES "public"."accounts"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_zones_one_default_idx" ON "delivery_zones" USING btree ("operator_id") WHERE "delivery_zones"."is_default";--> statement-breakpoint
CREATE INDEX "appointments_center_idx" ON "appointments" USING btree ("center_id","starts_at");--> statement-breakpoint
CREATE INDEX "identity_documents_purge_idx" ON "identity_documents" USING btree ("purge_after") WHERE "identity_documents"."purged_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_success_per_request_idx" ON "payments" USING btree ("request_id") WHERE "payments"."status" in ('succeeded', 'refund_pending', 'refunded');--> statement-breakpoint
CREATE UNIQUE INDEX "replacement_requests_one_open_per_line_idx" ON "replacement_requests" USING btree ("line_id") WHERE "replacement_requests"."status" not in ('activated', 'rejected', 'cancelled', 'failed');--> statement-breakpoint
CREATE UNIQUE INDEX "replacement_requests_sim_idx" ON "replacement_requests" USING btree ("sim_id") WHERE "replacement_requests"."status" not in ('cancelled', 'rejected', 'failed');--> statement-breakpoint
CREATE INDEX "replacement_requests_queue_idx" ON "replacement_requests" USING btree ("operator_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "login_attempts_identifier_idx" ON "login_attempts" USING btree ("identifier_hash","created_at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_idx" ON "login_attempts" USING btree ("ip","created_at");--> statement-breakpoint
CREATE INDEX "sessions_account_idx" ON "sessions" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "sessions_expiry_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sim_changes_msisdn_idx" ON "sim_changes" USING btree ("msisdn","changed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "sims_one_active_per_line_idx" ON "sims" USING btree ("line_id") WHERE "sims"."status" = 'active';--> statement-breakpoint
CREATE INDEX "sims_stock_idx" ON "sims" USING btree ("operator_id","center_id","status","form_factor");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_users_operator_email_idx" ON "staff_users" USING btree ("operator_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_operator_email_idx" ON "accounts" USING btree ("operator_id",lower("email")) WHERE "accounts"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_operator_import_ref_idx" ON "accounts" USING btree ("operator_id","import_ref") WHERE "accounts"."import_ref" is not null;--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."status" = 'pending';