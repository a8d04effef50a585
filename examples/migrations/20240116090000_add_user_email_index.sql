-- Migration: Add a unique index on users.email without blocking writes
-- Created: 2024-01-16T09:00:00.000Z

-- UP
-- CONCURRENTLY cannot run in a transaction: Strata detects it and runs this file statement by statement.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (lower(email));

-- DOWN
DROP INDEX CONCURRENTLY IF EXISTS users_email_key;
