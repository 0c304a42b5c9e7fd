-- A swap's notification carries its time as well as its number (epoch milliseconds), so an index
-- can take it in as the notification arrives, without reading it back: on embedded PGlite that is
-- before the swap's commit returns, so the index is never behind there.
CREATE OR REPLACE FUNCTION simdesk_sim_change_made() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('simdesk_sim_changes',
    NEW.operator_id::text || ' ' || NEW.msisdn || ' ' || (extract(epoch from NEW.changed_at) * 1000)::bigint);
  RETURN NULL;
END
$$;
