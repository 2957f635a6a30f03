-- Mapping versions architects add through the API (store/mapping-catalog.ts), and which version of
-- each mapping runs. Files under the mapping directories stay the base layer; an activation of a
-- stored version overrides the file of that name in every hub process sharing this database.
CREATE TABLE mapping_releases (
  name        text NOT NULL,
  version     text NOT NULL,
  text        text NOT NULL,          -- the mapping file (YAML), as the architect sent it
  checksum    text NOT NULL,          -- sha-256 of text, as for files
  note        text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, version)
);

-- Append-only history: the newest row of a name says what runs. origin 'file' hands the name back
-- to its file (version is then the file's version at that moment, for the record); 'none' stops a
-- mapping that has no file (version: the one that stopped).
CREATE TABLE mapping_activations (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  version     text NOT NULL,
  origin      text NOT NULL CHECK (origin IN ('file', 'store', 'none')),
  action      text NOT NULL CHECK (action IN ('activate', 'rollback')),
  reason      text,
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mapping_activations_by_name ON mapping_activations (name, id DESC);
