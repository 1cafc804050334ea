-- Revocation (issue 17). Every gateway instance keeps who may call in memory and learns changes by
-- polling the rows whose access_changed_at moved (an index scan of a few rows per second), so a
-- logout, a demotion, a disabled user or a revoked API key stops working on every instance within
-- a poll interval, without a query per request.

-- A token carries the version its user had when it was issued (claim "ver"); bumping the version
-- (logout everywhere, role change, disabled, erased) invalidates every token issued before.
ALTER TABLE users
    ADD COLUMN token_version     integer     NOT NULL DEFAULT 0,
    ADD COLUMN disabled_at       timestamptz,
    ADD COLUMN access_changed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX users_access_changed ON users (access_changed_at);

-- A key acts for its owner (the admin who made it, unless reassigned) and dies with the owner's
-- admin rights; it may expire.
ALTER TABLE api_keys
    ADD COLUMN owner_id          uuid REFERENCES users (user_id),
    ADD COLUMN expires_at        timestamptz,
    ADD COLUMN access_changed_at timestamptz NOT NULL DEFAULT now();
UPDATE api_keys SET owner_id = created_by;
ALTER TABLE api_keys ALTER COLUMN owner_id SET NOT NULL;
CREATE INDEX api_keys_access_changed ON api_keys (access_changed_at);

-- Single tokens signed out (POST /v1/auth/logout) until they would have expired anyway; the
-- gateway deletes rows past expires_at.
CREATE TABLE revoked_tokens (
    token_id   uuid        PRIMARY KEY,   -- the token's jti
    user_id    uuid        NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revoked_tokens_revoked ON revoked_tokens (revoked_at);
CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);
