-- Instances keep operator settings (and, on embedded PGlite, sessions) in memory; these
-- notifications tell every instance listening on the database to drop what changed, right
-- after the change commits.
CREATE FUNCTION simdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(
    TG_ARGV[0],
    (CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END) ->> TG_ARGV[1]
  );
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_sessions', 'id');--> statement-breakpoint
CREATE TRIGGER operators_changed AFTER INSERT OR UPDATE OR DELETE ON operators
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'id');--> statement-breakpoint
CREATE TRIGGER fee_rules_changed AFTER INSERT OR UPDATE OR DELETE ON fee_rules
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'operator_id');--> statement-breakpoint
CREATE TRIGGER delivery_zones_changed AFTER INSERT OR UPDATE OR DELETE ON delivery_zones
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'operator_id');--> statement-breakpoint
CREATE TRIGGER service_centers_changed AFTER INSERT OR UPDATE OR DELETE ON service_centers
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'operator_id');--> statement-breakpoint
CREATE TRIGGER center_hours_changed AFTER INSERT OR UPDATE OR DELETE ON center_hours
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'operator_id');--> statement-breakpoint
CREATE TRIGGER center_exceptions_changed AFTER INSERT OR UPDATE OR DELETE ON center_exceptions
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_operators', 'operator_id');
