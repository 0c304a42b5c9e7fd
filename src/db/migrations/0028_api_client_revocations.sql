CREATE FUNCTION simdesk_api_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('simdesk_api_clients', NEW.id::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER api_clients_access_changed AFTER UPDATE OF active, revoked_at ON api_clients
  FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
  EXECUTE FUNCTION simdesk_api_client_changed();
