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
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_scopes_check" CHECK ("api_clients"."scopes" <@ array['sim-swap', 'sim-swap:check', 'sim-swap:retrieve-date']::text[]);--> statement-breakpoint
-- What the SIM Swap API reads of a number, in one call whose plans PL/pgSQL keeps (see 0007):
-- the latest change, the current SIM's activation, and whether the operator has the line.
CREATE FUNCTION simswap_history(p_operator uuid, p_msisdn text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN json_build_object(
    'latest', (SELECT max(c.changed_at) FROM sim_changes c WHERE c.msisdn = p_msisdn AND c.operator_id = p_operator),
    'activated', (SELECT s.activated_at FROM lines l JOIN sims s ON s.line_id = l.id AND s.status = 'active'
                   WHERE l.operator_id = p_operator AND l.msisdn = p_msisdn LIMIT 1),
    'line', EXISTS (SELECT 1 FROM lines l WHERE l.operator_id = p_operator AND l.msisdn = p_msisdn AND l.status <> 'terminated'));
END
$$;
