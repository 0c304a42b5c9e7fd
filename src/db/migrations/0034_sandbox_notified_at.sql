ALTER TABLE "sandbox_payments" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
-- Payments finished before this column existed were notified then.
UPDATE "sandbox_payments" SET "notified_at" = "completed_at" WHERE "completed_at" IS NOT NULL;
