-- Long operations an operator starts through the API (bulk replay of dead letters): their filter,
-- progress and outcome, readable at GET /v1/operations/{id} while they run and after.
CREATE TABLE operations (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL,
  status       text NOT NULL,          -- running, succeeded, failed, interrupted
  request      jsonb NOT NULL,         -- the filter and mode as asked
  total        integer NOT NULL,
  done         integer NOT NULL DEFAULT 0,
  failed       integer NOT NULL DEFAULT 0,
  errors       jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX operations_created ON operations (created_at);
