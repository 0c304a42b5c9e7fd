ALTER TABLE "accounts" ADD COLUMN "views_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- What a subscriber's pages show is kept in memory per account and version (web/plugins/account-views.ts).
-- Any change to the account bumps its version; so does, at commit, any change to its lines,
-- SIMs, requests and their timeline, payments, documents and SIM changes. The bump runs deferred,
-- so the account row is locked last in a transaction and never before a row another waits on.
CREATE FUNCTION simdesk_bump_own_views() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.views_version := OLD.views_version + 1;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER accounts_views_changed BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION simdesk_bump_own_views();--> statement-breakpoint
-- Embedded PGlite keeps sessions, with their account's version, in memory (app/auth/sessions.ts).
CREATE TRIGGER accounts_views_notified AFTER UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_accounts', 'id');--> statement-breakpoint
-- TG_ARGV: how the changed row leads to its account ('account' | 'line' | 'request'), and the column.
CREATE FUNCTION simdesk_bump_account_views() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
BEGIN
  FOR ref IN
    SELECT DISTINCT v FROM (VALUES
      ((to_jsonb(OLD) ->> TG_ARGV[1])::uuid),
      ((to_jsonb(NEW) ->> TG_ARGV[1])::uuid)) AS refs(v)
    WHERE v IS NOT NULL
  LOOP
    UPDATE accounts SET views_version = views_version + 1
    WHERE id = CASE TG_ARGV[0]
      WHEN 'account' THEN ref
      WHEN 'line' THEN (SELECT l.account_id FROM lines l WHERE l.id = ref)
      WHEN 'request' THEN (SELECT r.account_id FROM replacement_requests r WHERE r.id = ref)
    END;
  END LOOP;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER lines_views_changed AFTER INSERT OR UPDATE OR DELETE ON lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION simdesk_bump_account_views('account', 'account_id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER requests_views_changed AFTER INSERT OR UPDATE OR DELETE ON replacement_requests
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION simdesk_bump_account_views('account', 'account_id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER documents_views_changed AFTER INSERT OR UPDATE OR DELETE ON identity_documents
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION simdesk_bump_account_views('account', 'account_id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER request_events_views_changed AFTER INSERT ON request_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION simdesk_bump_account_views('request', 'request_id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER payments_views_changed AFTER INSERT OR UPDATE ON payments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION simdesk_bump_account_views('request', 'request_id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER sim_changes_views_changed AFTER INSERT ON sim_changes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION simdesk_bump_account_views('line', 'line_id');--> statement-breakpoint
-- Stock belongs to no line: a bulk import of stock never calls the function.
CREATE CONSTRAINT TRIGGER sims_views_inserted AFTER INSERT ON sims
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.line_id IS NOT NULL)
  EXECUTE FUNCTION simdesk_bump_account_views('line', 'line_id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER sims_views_updated AFTER UPDATE ON sims
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.line_id IS NOT NULL OR NEW.line_id IS NOT NULL)
  EXECUTE FUNCTION simdesk_bump_account_views('line', 'line_id');--> statement-breakpoint
-- The session behind a cookie with the version of its account's pages, in one cheap call per page.
CREATE FUNCTION portal_session(p_id text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object('session', to_json(s), 'views_version', a.views_version)
    FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id
    WHERE s.id = p_id
  );
END
$$;
