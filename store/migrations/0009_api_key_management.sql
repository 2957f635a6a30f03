-- API keys per client and role (store/api-keys.ts): which sources a source key may submit as,
-- who created and who revoked it, when it stops working, and its first characters so operators can tell keys
-- apart in listings without ever seeing the rest.
ALTER TABLE api_keys
  ADD COLUMN sources     text[],        -- NULL: any source (only role source keys have a list)
  ADD COLUMN created_by  text,          -- NULL: the bootstrap key, installed by the hub itself
  ADD COLUMN expires_at  timestamptz,   -- NULL: until revoked
  ADD COLUMN prefix      text,          -- first 12 characters of a generated key (chk_ and 8 more)
  ADD COLUMN revoked_by  text;

-- A name identifies a client in logs and the audit trail, so no two working keys share one. Before
-- this, a changed CLAIMHUB_API_KEY added a second "bootstrap" key: the older ones keep working
-- under a name of their own rather than being locked out.
UPDATE api_keys k SET name = k.name || '-' || left(k.id::text, 8)
WHERE k.revoked_at IS NULL
  AND EXISTS (SELECT 1 FROM api_keys newer
              WHERE newer.name = k.name AND newer.revoked_at IS NULL AND (newer.created_at, newer.id) > (k.created_at, k.id));
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
