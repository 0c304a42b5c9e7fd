-- Read models of the subscriber's most visited pages, one call each. PL/pgSQL keeps the plan of
-- each query it runs, so a page costs one cheap statement instead of parsing and planning a
-- multi-table query on every visit (which dominates on embedded PGlite). Rows travel as JSON
-- with their column names; db/json-rows.ts turns them back into the schema's row types.
CREATE FUNCTION portal_account_overview(p_operator uuid, p_account uuid) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object(
      'full_name', a.full_name,
      'sim_change_lock', a.sim_change_lock,
      'lock_release_at', a.lock_release_at,
      'lock_release_hours', o.lock_release_hours,
      'lines', coalesce((
        SELECT json_agg(json_build_object('line', to_json(l), 'form_factor', s.form_factor) ORDER BY l.kind DESC, l.msisdn)
        FROM lines l LEFT JOIN sims s ON s.line_id = l.id AND s.status = 'active'
        WHERE l.account_id = a.id), '[]'),
      'requests', coalesce((
        SELECT json_agg(json_build_object('id', r.id, 'reference', r.reference, 'status', r.status, 'line_id', r.line_id)
          ORDER BY r.created_at DESC)
        FROM replacement_requests r WHERE r.account_id = a.id), '[]'))
    FROM accounts a JOIN operators o ON o.id = a.operator_id
    WHERE a.operator_id = p_operator AND a.id = p_account
  );
END
$$;--> statement-breakpoint
CREATE FUNCTION portal_request_status(p_operator uuid, p_account uuid, p_request uuid) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object(
      'request', to_json(r),
      'msisdn', l.msisdn,
      'events', coalesce((
        SELECT json_agg(to_json(e) ORDER BY e.id) FROM request_events e WHERE e.request_id = r.id), '[]'),
      'payments', coalesce((
        SELECT json_agg(to_json(p) ORDER BY p.created_at DESC) FROM payments p WHERE p.request_id = r.id), '[]'))
    FROM replacement_requests r JOIN lines l ON l.id = r.line_id
    WHERE r.operator_id = p_operator AND r.account_id = p_account AND r.id = p_request
  );
END
$$;--> statement-breakpoint
CREATE FUNCTION portal_draft(p_operator uuid, p_account uuid, p_request uuid) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object(
      'request', to_json(r),
      'msisdn', l.msisdn,
      'document', (
        SELECT to_json(d) FROM identity_documents d WHERE d.request_id = r.id AND d.account_id = r.account_id),
      'sim_changes', coalesce((
        SELECT json_agg(c.changed_at) FROM sim_changes c WHERE c.line_id = r.line_id), '[]'))
    FROM replacement_requests r JOIN lines l ON l.id = r.line_id
    WHERE r.operator_id = p_operator AND r.account_id = p_account AND r.id = p_request
  );
END
$$;
