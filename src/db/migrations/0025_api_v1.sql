CREATE TABLE "api_idempotency_keys" (
	"operator_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" integer,
	"response" jsonb,
	"location" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_keys_client_id_key_pk" PRIMARY KEY("client_id","key")
);
--> statement-breakpoint
CREATE TABLE "camara_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"phone_number" text NOT NULL,
	"from_token" boolean NOT NULL,
	"sink" text NOT NULL,
	"sink_token_sealed" text,
	"sink_token_expires_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"max_events" integer,
	"events_sent" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"termination_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "camara_subscriptions_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "camara_subscriptions_status_check" CHECK ("camara_subscriptions"."status" in ('ACTIVE', 'EXPIRED', 'DELETED')),
	CONSTRAINT "camara_subscriptions_reason_check" CHECK ("camara_subscriptions"."termination_reason" in ('MAX_EVENTS_REACHED', 'NETWORK_TERMINATED', 'SUBSCRIPTION_EXPIRED', 'ACCESS_TOKEN_EXPIRED', 'SUBSCRIPTION_DELETED')),
	CONSTRAINT "camara_subscriptions_max_events_check" CHECK ("camara_subscriptions"."max_events" is null or "camara_subscriptions"."max_events" >= 1)
);
--> statement-breakpoint
ALTER TABLE "api_clients" DROP CONSTRAINT "api_clients_scopes_check";--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_idempotency_keys" ADD CONSTRAINT "api_idempotency_keys_client_fk" FOREIGN KEY ("operator_id","client_id") REFERENCES "public"."api_clients"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "camara_subscriptions" ADD CONSTRAINT "camara_subscriptions_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "camara_subscriptions" ADD CONSTRAINT "camara_subscriptions_client_fk" FOREIGN KEY ("operator_id","client_id") REFERENCES "public"."api_clients"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_idempotency_keys_created_idx" ON "api_idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "camara_subscriptions_active_idx" ON "camara_subscriptions" USING btree ("operator_id","phone_number") WHERE "camara_subscriptions"."status" = 'ACTIVE';--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_scopes_check" CHECK ("api_clients"."scopes" <@ array['sim-swap', 'sim-swap:check', 'sim-swap:retrieve-date', 'sim-swap-subscriptions:org.camaraproject.sim-swap-subscriptions.v0.swapped:create', 'sim-swap-subscriptions:read', 'sim-swap-subscriptions:delete', 'requests:read', 'requests:write', 'lines:write', 'centers:read', 'inventory:read', 'sim-changes:read', 'webhooks:manage']::text[]);