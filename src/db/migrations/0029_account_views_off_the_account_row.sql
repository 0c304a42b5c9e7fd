CREATE TABLE "account_views" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- The changes of an account's lines, requests and the rest bumped accounts.views_version at
-- commit. A transaction holding the audit chain's lock then waited at commit for the account row,
-- while a reviewer's transaction share-locked that row (the SIM-change lock check) and waited for
-- the audit chain's lock: a deadlock. The bump goes to a row of its own that nothing else locks.
CREATE OR REPLACE FUNCTION simdesk_bump_account_views() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref uuid;
  target uuid;
BEGIN
  FOR ref IN
    SELECT DISTINCT v FROM (VALUES
      ((to_jsonb(OLD) ->> TG_ARGV[1])::uuid),
      ((to_jsonb(NEW) ->> TG_ARGV[1])::uuid)) AS refs(v)
    WHERE v IS NOT NULL
  LOOP
    target := CASE TG_ARGV[0]
      WHEN 'account' THEN ref
      WHEN 'line' THEN (SELECT l.account_id FROM lines l WHERE l.id = ref)
      WHEN 'request' THEN (SELECT r.account_id FROM replacement_requests r WHERE r.id = ref)
    END;
    IF target IS NOT NULL THEN
      INSERT INTO account_views AS v (account_id, version) VALUES (target, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = v.version + 1;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER account_views_notified AFTER INSERT OR UPDATE ON account_views
  FOR EACH ROW EXECUTE FUNCTION simdesk_notify_change('simdesk_accounts', 'account_id');--> statement-breakpoint
CREATE FUNCTION simdesk_forget_account_views() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM account_views WHERE account_id = OLD.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER accounts_views_forgotten AFTER DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION simdesk_forget_account_views();--> statement-breakpoint
CREATE OR REPLACE FUNCTION portal_session(p_id text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object('session', to_json(s), 'views_version', a.views_version + coalesce(v.version, 0))
    FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id LEFT JOIN account_views v ON v.account_id = s.account_id
    WHERE s.id = p_id
  );
END
$$;
