CREATE TABLE "sandbox_payments" (
	"ref" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"method" text NOT NULL,
	"description" text NOT NULL,
	"return_url" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"failure_reason" text,
	"card_last4" text,
	"refunded_minor" integer DEFAULT 0 NOT NULL,
	"refund_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "sandbox_payments_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "sandbox_payments_method_check" CHECK ("sandbox_payments"."method" in ('card', 'ewallet')),
	CONSTRAINT "sandbox_payments_status_check" CHECK ("sandbox_payments"."status" in ('pending', 'requires_action', 'succeeded', 'failed')),
	CONSTRAINT "sandbox_payments_amount_check" CHECK ("sandbox_payments"."amount_minor" > 0),
	CONSTRAINT "sandbox_payments_refund_check" CHECK ("sandbox_payments"."refunded_minor" between 0 and "sandbox_payments"."amount_minor")
);
--> statement-breakpoint
ALTER TABLE "replacement_requests" ADD COLUMN "activation_code_shown_at" timestamp with time zone;