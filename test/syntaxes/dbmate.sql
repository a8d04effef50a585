-- migrate:up transaction:false
CREATE TABLE t (id int);
-- Up Migration
-- UP: Apply this migration
--UP
   -- down: indented, with a colon
-- MIGRATE:DOWN
DROP TABLE t;
