-- Open claims by patient: a patient update (HL7 ADT^A04/A08) finds the claims it applies to by a
-- patient identifier contained in canonical->'patient'->'identifiers' (jsonb @>). Only claims not
-- yet submitted to a payer are ever looked up, so the index holds only those (the predicate is the
-- open-claim rule of store/open-claims.ts; the lookup's WHERE repeats it word for word).
CREATE INDEX claims_open_patient_identifiers ON claims
  USING gin ((canonical -> 'patient' -> 'identifiers') jsonb_path_ops)
  WHERE status IN ('received', 'validated', 'held');
