-- The system of record: raw messages and their lineage, canonical claims, deliveries, dead letters,
-- mapping versions, API keys and the audit trail. Redis only carries ids; everything lives here.

CREATE TABLE messages (
  id            uuid PRIMARY KEY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  source        text NOT NULL,
  format        text,
  message_type  text,
  content_type  text,
  content_hash  text NOT NULL,
  raw           text NOT NULL,
  status        text NOT NULL,
  error         jsonb,
  control_ids   jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- destinations chosen by routing; the message is delivered when each has a delivery row
  destinations  jsonb,
  mapping       text,
  -- a transaction set's interchange, a batch file's message (later connectors)
  parent_id     uuid REFERENCES messages(id)
);
-- Duplicate submissions: the same bytes from the same source are answered with the first message.
CREATE UNIQUE INDEX messages_source_content_hash ON messages (source, content_hash);
CREATE INDEX messages_status_updated ON messages (status, updated_at);
CREATE INDEX messages_received_at ON messages (received_at);

CREATE TABLE message_events (
  id           bigserial PRIMARY KEY,
  message_id   uuid NOT NULL REFERENCES messages(id),
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  event        text NOT NULL,
  actor        text NOT NULL,
  destination  text,
  mapping      text,
  detail       jsonb,
  error        jsonb
);
CREATE INDEX message_events_message ON message_events (message_id, id);

CREATE TABLE claims (
  id              uuid PRIMARY KEY,
  message_id      uuid NOT NULL REFERENCES messages(id),
  seq             integer NOT NULL,
  claim_number    text NOT NULL,
  claim_type      text NOT NULL,
  status          text NOT NULL,
  payer_id        text,
  payer_name      text,
  billing_npi     text,
  member_id       text,
  total_charge    numeric(14, 2) NOT NULL,
  service_start   date,
  mapping         text NOT NULL,
  canonical       jsonb NOT NULL,
  -- destinations routing chose for this claim
  destinations    jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, seq)
);
CREATE INDEX claims_claim_number ON claims (claim_number);
CREATE INDEX claims_payer ON claims (payer_id, status);
CREATE INDEX claims_member ON claims (member_id);

CREATE TABLE deliveries (
  message_id      uuid NOT NULL REFERENCES messages(id),
  destination_id  text NOT NULL,
  delivered_at    timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL,
  receipt         jsonb,
  PRIMARY KEY (message_id, destination_id)
);

CREATE TABLE dead_letters (
  id              uuid PRIMARY KEY,
  message_id      uuid NOT NULL REFERENCES messages(id),
  stage           text NOT NULL,
  destination_id  text NOT NULL DEFAULT '',
  error_class     text NOT NULL,
  error           jsonb NOT NULL,
  attempts        jsonb NOT NULL DEFAULT '[]'::jsonb,
  status          text NOT NULL DEFAULT 'open',
  created_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  resolved_by     text,
  resolution      text
);
-- One open dead letter per message, stage and destination: a re-run after a crash records it once.
CREATE UNIQUE INDEX dead_letters_open ON dead_letters (message_id, stage, destination_id) WHERE status = 'open';
CREATE INDEX dead_letters_status_created ON dead_letters (status, created_at);

CREATE TABLE mapping_versions (
  name        text NOT NULL,
  version     text NOT NULL,
  checksum    text NOT NULL,
  path        text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, version, checksum)
);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL,
  key_hash      text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

-- Append-only, hash-chained trail (the gateway governance issue writes and verifies it).
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor       text NOT NULL,
  role        text,
  client      text,
  action      text NOT NULL,
  resource    text NOT NULL,
  outcome     text NOT NULL,
  request_id  text,
  source_ip   text,
  detail      jsonb,
  prev_hash   text,
  hash        text NOT NULL
);

-- Persistent counters (X12 interchange/group control numbers, batch sequence numbers).
CREATE TABLE counters (
  name   text PRIMARY KEY,
  value  bigint NOT NULL
);
