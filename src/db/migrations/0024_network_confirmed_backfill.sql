-- Swaps the network already confirmed before simdesk recorded confirmations: their timelines say so.
INSERT INTO request_events (operator_id, request_id, type, from_status, to_status, actor_kind, created_at)
SELECT r.operator_id, r.id, 'network_confirmed', r.status, r.status, 'system', coalesce(o.sent_at, r.activated_at, now())
  FROM replacement_requests r
  JOIN outbox o ON o.idempotency_key = 'swap:' || r.id::text
 WHERE r.status = 'activated' AND o.status = 'sent';
