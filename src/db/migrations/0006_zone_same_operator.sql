ALTER TABLE "delivery_zones" ADD CONSTRAINT "delivery_zones_operator_id_key" UNIQUE("operator_id","id");--> statement-breakpoint
ALTER TABLE "replacement_requests" DROP CONSTRAINT "replacement_requests_delivery_zone_id_delivery_zones_id_fk";
--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD CONSTRAINT "replacement_requests_zone_fk" FOREIGN KEY ("operator_id","delivery_zone_id") REFERENCES "public"."delivery_zones"("operator_id","id") ON DELETE no action ON UPDATE no action;
