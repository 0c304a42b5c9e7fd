CREATE TABLE "allowances" (
	"name" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"used" integer NOT NULL,
	CONSTRAINT "allowances_name_window_start_pk" PRIMARY KEY("name","window_start")
);
--> statement-breakpoint
ALTER TABLE "operators" DROP CONSTRAINT "operators_policy_ranges_check";--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "active_visits_cap" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "visit_sms_per_hour" integer DEFAULT 300 NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "visit_sms_per_day" integer DEFAULT 2000 NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "sms_countries" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "client_ip" text;--> statement-breakpoint
CREATE INDEX "allowances_window_idx" ON "allowances" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "appointments_active_idx" ON "appointments" USING btree ("operator_id","starts_at") WHERE "appointments"."status" in ('pending', 'booked');--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_policy_ranges_check" CHECK ("operators"."cooling_off_hours" >= 0 and "operators"."document_retention_days" > 0 and "operators"."four_eyes_risk_threshold" between 0 and 100 and "operators"."swap_hold_minutes" >= 0 and "operators"."lock_release_hours" >= 0 and "operators"."sla_hours" > 0 and "operators"."active_visits_cap" > 0 and "operators"."visit_sms_per_hour" > 0 and "operators"."visit_sms_per_day" > 0);