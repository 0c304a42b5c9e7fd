CREATE TABLE "carrier_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"shipment_id" uuid NOT NULL,
	"carrier" text NOT NULL,
	"event_id" text NOT NULL,
	"event" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carrier_events_event_key" UNIQUE("carrier","event_id"),
	CONSTRAINT "carrier_events_event_check" CHECK ("carrier_events"."event" in ('in_transit', 'out_for_delivery', 'failed_attempt', 'delivered', 'returned'))
);
--> statement-breakpoint
CREATE TABLE "sandbox_parcels" (
	"tracking_number" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"reference" text NOT NULL,
	"recipient" jsonb NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sandbox_parcels_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "sandbox_parcels_status_check" CHECK ("sandbox_parcels"."status" in ('booked', 'in_transit', 'out_for_delivery', 'failed_attempt', 'delivered', 'returned'))
);
--> statement-breakpoint
ALTER TABLE "shipments" DROP CONSTRAINT "shipments_status_check";--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_operator_id_key" UNIQUE("operator_id","id");--> statement-breakpoint
ALTER TABLE "carrier_events" ADD CONSTRAINT "carrier_events_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_events" ADD CONSTRAINT "carrier_events_shipment_fk" FOREIGN KEY ("operator_id","shipment_id") REFERENCES "public"."shipments"("operator_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "carrier_events_shipment_idx" ON "carrier_events" USING btree ("shipment_id","occurred_at");--> statement-breakpoint
CREATE INDEX "sandbox_parcels_next_idx" ON "sandbox_parcels" USING btree ("next_at") WHERE "sandbox_parcels"."next_at" is not null;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_status_check" CHECK ("shipments"."status" in ('created', 'in_transit', 'out_for_delivery', 'failed_attempt', 'delivered', 'returned'));