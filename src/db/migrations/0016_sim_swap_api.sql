CREATE TABLE "api_usage" (
	"operator_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"day" date NOT NULL,
	"endpoint" text NOT NULL,
	"calls" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "api_usage_client_id_day_endpoint_pk" PRIMARY KEY("client_id","day","endpoint")
);
--> statement-breakpoint
ALTER TABLE "sim_changes" ALTER COLUMN "line_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sim_changes" ALTER COLUMN "new_sim_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sim_changes" ALTER COLUMN "channel" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "api_clients" ALTER COLUMN "scopes" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "sim_swap_monitored_days" integer;--> statement-breakpoint
ALTER TABLE "sim_changes" ADD COLUMN "source" text DEFAULT 'simdesk' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_clients" ADD COLUMN "created_by_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "api_clients" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_operator_id_key" UNIQUE("operator_id","id");--> statement-breakpoint
ALTER TABLE "api_usage" ADD CONSTRAINT "api_usage_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_usage" ADD CONSTRAINT "api_usage_client_fk" FOREIGN KEY ("operator_id","client_id") REFERENCES "public"."api_clients"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_created_by_fk" FOREIGN KEY ("operator_id","created_by_staff_id") REFERENCES "public"."staff_users"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_monitored_days_check" CHECK ("operators"."sim_swap_monitored_days" is null or "operators"."sim_swap_monitored_days" > 0);--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_source_check" CHECK ("sim_changes"."source" in ('simdesk', 'import'));--> statement-breakpoint
ALTER TABLE "sim_changes" ADD CONSTRAINT "sim_changes_made_here_check" CHECK ("sim_changes"."source" = 'import' or ("sim_changes"."line_id" is not null and "sim_changes"."new_sim_id" is not null and "sim_changes"."channel" is not null));--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_scopes_check" CHECK ("api_clients"."scopes" <@ array['sim-swap', 'sim-swap:check', 'sim-swap:retrieve-date']::text[]);