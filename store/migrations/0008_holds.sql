-- Claims held for a missing prior authorization (routes/authorization.ts, routes/hold-stage.ts).
-- A claim being routed looks up its member's stored PriorAuthorization decisions by member id;
-- only decisions that certify care are ever looked up, so the index holds only those.
CREATE INDEX canonical_objects_authorization_member ON canonical_objects ((canonical -> 'coverage' ->> 'memberId'))
  WHERE resource_type = 'PriorAuthorization' AND status IN ('approved', 'modified');
-- GET /v1/claims?status=held pages through held claims, longest held first.
CREATE INDEX claims_held ON claims (updated_at, id) WHERE status = 'held';
