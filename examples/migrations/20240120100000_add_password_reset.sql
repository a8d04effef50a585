-- Migration: Add password reset tokens
-- Created: 2024-01-20T10:00:00.000Z

-- UP
-- Hand-written files often wrap themselves in a transaction; Strata keeps them atomic either way.
BEGIN;

ALTER TABLE users ADD COLUMN IF NOT EXISTS reset_token text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS reset_token_expires_at timestamptz;

CREATE TABLE IF NOT EXISTS password_reset_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  requested_at timestamptz NOT NULL DEFAULT now()
);

COMMIT;

-- DOWN
DROP TABLE IF EXISTS password_reset_audit;
ALTER TABLE users DROP COLUMN IF EXISTS reset_token_expires_at;
ALTER TABLE users DROP COLUMN IF EXISTS reset_token;
