-- Migration: Add user indexes
-- Created: 2024-01-15T12:00:00.000Z
-- strata:no-transaction

-- UP
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);
-- strata-ignore require-concurrent-index
CREATE INDEX users_name ON users (name); -- strata-ignore require-concurrent-index
-- strata-ignore-file ban-drop-column
-- strata-ignore drop-table, safety -- the table is empty by now
-- strata:no-transaction because VACUUM cannot run in one
-- update users: an ordinary comment, not a marker
-- upgrade notes, not a marker either
SELECT '-- UP' AS not_a_marker, '-- strata:no-transaction' AS not_a_directive;
/*
-- DOWN inside a block comment is not a marker
*/

-- DOWN
DROP INDEX CONCURRENTLY IF EXISTS users_email;
