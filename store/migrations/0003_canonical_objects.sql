-- Canonical objects that are not claims (Remittance from an 835, PriorAuthorization from a 278,
-- Acknowledgement from a 999/TA1), kept like claims: per message and sequence, with the
-- destinations routing chose for each. Claims keep their own table and its business columns.
CREATE TABLE canonical_objects (
  id             uuid PRIMARY KEY,
  message_id     uuid NOT NULL REFERENCES messages(id),
  seq            integer NOT NULL,
  resource_type  text NOT NULL,
  -- what people look it up by: a payment's trace number (TRN02), a review's certification or
  -- trace number, an acknowledgement's control number
  business_key   text,
  status         text NOT NULL,
  mapping        text NOT NULL,
  canonical      jsonb NOT NULL,
  destinations   jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, seq)
);
CREATE INDEX canonical_objects_type_key ON canonical_objects (resource_type, business_key);
