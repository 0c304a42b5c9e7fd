-- The SIM Swap API keeps the latest change of each number in memory (app/sim-swap/swap-index.ts).
-- A swap made here names its number, so every instance re-reads it at once; a bulk import or a
-- deletion only says that the history changed, and the index is rebuilt in the background.
CREATE FUNCTION simdesk_sim_change_made() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('simdesk_sim_changes', NEW.operator_id::text || ' ' || NEW.msisdn);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER sim_changes_made AFTER INSERT ON sim_changes
  FOR EACH ROW WHEN (NEW.source = 'simdesk') EXECUTE FUNCTION simdesk_sim_change_made();--> statement-breakpoint
CREATE FUNCTION simdesk_sim_changes_loaded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR EXISTS (SELECT 1 FROM changed WHERE source = 'import') THEN
    PERFORM pg_notify('simdesk_sim_changes', '');
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER sim_changes_imported AFTER INSERT ON sim_changes
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION simdesk_sim_changes_loaded();--> statement-breakpoint
CREATE TRIGGER sim_changes_deleted AFTER DELETE ON sim_changes
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION simdesk_sim_changes_loaded();
