ALTER TABLE "staff_roles" DROP CONSTRAINT "staff_roles_role_check";--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "courier_passport_check" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_role_check" CHECK ("staff_roles"."role" in ('reviewer', 'store_agent', 'logistics', 'admin', 'courier'));