-- The protocol answer the hub produced for a message (X12 999/TA1; later HL7 ACK), stored with the
-- message in the same commit so GET /v1/messages/{id}/ack returns exactly what the sender was sent.
ALTER TABLE messages ADD COLUMN ack text;
ALTER TABLE messages ADD COLUMN ack_content_type text;
CREATE INDEX messages_parent ON messages (parent_id) WHERE parent_id IS NOT NULL;
