CREATE TABLE "sim_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"from_center_id" uuid,
	"to_center_id" uuid,
	"cards" integer NOT NULL,
	"sent_by_staff_id" uuid NOT NULL,
	"received_by_staff_id" uuid,
	"received_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sim_transfers_operator_id_key" UNIQUE("operator_id","id"),
	CONSTRAINT "sim_transfers_places_check" CHECK ("sim_transfers"."from_center_id" is distinct from "sim_transfers"."to_center_id"),
	CONSTRAINT "sim_transfers_cards_check" CHECK ("sim_transfers"."cards" > 0)
);
--> statement-breakpoint
ALTER TABLE "sims" ADD COLUMN "transfer_id" uuid;--> statement-breakpoint
ALTER TABLE "sim_transfers" ADD CONSTRAINT "sim_transfers_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_transfers" ADD CONSTRAINT "sim_transfers_from_fk" FOREIGN KEY ("operator_id","from_center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sim_transfers" ADD CONSTRAINT "sim_transfers_to_fk" FOREIGN KEY ("operator_id","to_center_id") REFERENCES "public"."service_centers"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sim_transfers_open_idx" ON "sim_transfers" USING btree ("operator_id") WHERE "sim_transfers"."received_at" is null;--> statement-breakpoint
ALTER TABLE "sims" ADD CONSTRAINT "sims_transfer_fk" FOREIGN KEY ("operator_id","transfer_id") REFERENCES "public"."sim_transfers"("operator_id","id") ON DELETE no action ON UPDATE no action;