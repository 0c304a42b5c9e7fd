ALTER TABLE "payments" DROP CONSTRAINT "payments_provider_ref_key";--> statement-breakpoint
ALTER TABLE "appointments" DROP CONSTRAINT "appointments_status_check";--> statement-breakpoint
ALTER TABLE "staff_roles" DROP CONSTRAINT "staff_roles_role_check";--> statement-breakpoint
ALTER TABLE "service_centers" ADD COLUMN "slot_minutes" smallint DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_centers" ADD COLUMN "slot_capacity" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "pickup_activates_at_counter" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "line_msisdn" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "locale" text DEFAULT 'ru' NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "code_hash" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "code_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "code_attempts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "ticket" text NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "manage_token_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "reminder_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "received_by_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "center_id" uuid;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "document_type" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "document_number_encrypted" text;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_received_by_fk" FOREIGN KEY ("operator_id","received_by_staff_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_center_fk" FOREIGN KEY ("operator_id","center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointments_phone_idx" ON "appointments" USING btree ("operator_id","contact_phone","created_at");--> statement-breakpoint
CREATE INDEX "appointments_reminder_idx" ON "appointments" USING btree ("starts_at") WHERE "appointments"."status" = 'booked' and "appointments"."reminder_sent_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_ref_idx" ON "payments" USING btree ("provider","provider_ref") WHERE "payments"."provider" <> 'counter';--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_manage_token_hash_unique" UNIQUE("manage_token_hash");--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_ticket_key" UNIQUE("operator_id","ticket");--> statement-breakpoint
ALTER TABLE "service_centers" ADD CONSTRAINT "service_centers_slots_check" CHECK ("service_centers"."slot_minutes" between 5 and 240 and "service_centers"."slot_capacity" >= 0);--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_locale_check" CHECK ("appointments"."locale" in ('ru', 'en', 'zh'));--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_status_check" CHECK ("appointments"."status" in ('pending', 'booked', 'cancelled', 'attended', 'no_show'));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_counter_check" CHECK ("payments"."method" not in ('cash', 'card_terminal') or ("payments"."received_by_staff_id" is not null and "payments"."center_id" is not null));--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_role_check" CHECK ("staff_roles"."role" in ('reviewer', 'store_agent', 'logistics', 'admin', 'courier', 'platform_admin'));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_document_type_check" CHECK ("accounts"."document_type" in ('passport_ru', 'passport_foreign', 'residence_permit', 'other'));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_document_check" CHECK (("accounts"."document_type" is null) = ("accounts"."document_number_encrypted" is null));