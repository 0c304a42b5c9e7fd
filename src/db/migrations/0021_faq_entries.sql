CREATE TABLE "faq_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"question" jsonb NOT NULL,
	"answer" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "faq_entries" ADD CONSTRAINT "faq_entries_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "faq_entries_position_idx" ON "faq_entries" USING btree ("operator_id","position");--> statement-breakpoint
CREATE TRIGGER faq_entries_changed AFTER INSERT OR UPDATE OR DELETE ON faq_entries
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'operator_id');
