-- Utility statements in LANGUAGE sql function bodies: they run through the normal
-- utility path, planned one statement at a time as the body runs; errors carry the
-- "SQL function ... statement N" context line.
CREATE FUNCTION make_t() RETURNS void AS $$ CREATE TABLE sfu_t (a int) $$ LANGUAGE sql;
SELECT make_t();
\d sfu_t
SELECT make_t();
CREATE FUNCTION fill_t(x int) RETURNS bigint AS $$
  INSERT INTO sfu_t VALUES (x);
  CREATE INDEX IF NOT EXISTS sfu_t_a ON sfu_t (a);
  UPDATE sfu_t SET a = a + 10 WHERE a < 0;
  SELECT count(*) FROM sfu_t
$$ LANGUAGE sql;
SELECT fill_t(1), fill_t(2);
SELECT * FROM sfu_t ORDER BY a;
-- the body is analyzed statement by statement when it runs: a later statement sees
-- the table an earlier one created (validation at CREATE analyzes all of them first)
CREATE FUNCTION lazy() RETURNS int AS $$
  CREATE TABLE sfu_lazy (a int); INSERT INTO sfu_lazy VALUES (7); SELECT a FROM sfu_lazy
$$ LANGUAGE sql;
SET check_function_bodies = off;
CREATE FUNCTION lazy() RETURNS int AS $$
  CREATE TABLE sfu_lazy (a int); INSERT INTO sfu_lazy VALUES (7); SELECT a FROM sfu_lazy
$$ LANGUAGE sql;
RESET check_function_bodies;
SELECT lazy();
SELECT lazy();
-- errors name the statement
CREATE FUNCTION two() RETURNS int AS $$ SELECT 1; SELECT 1/0 $$ LANGUAGE sql;
SELECT two();
CREATE FUNCTION drop_missing() RETURNS void AS $$ DROP TABLE sfu_missing $$ LANGUAGE sql;
SELECT drop_missing();
CREATE FUNCTION drop_if() RETURNS void AS $$ DROP TABLE IF EXISTS sfu_missing $$ LANGUAGE sql;
SELECT drop_if();
CREATE FUNCTION outer_f() RETURNS void AS $$ SELECT drop_missing() $$ LANGUAGE sql;
SELECT outer_f();
-- a utility statement cannot be the result
CREATE FUNCTION bad_ret() RETURNS int AS $$ CREATE TABLE sfu_x (a int) $$ LANGUAGE sql;
-- SET inside a function: a plain SET stays, SET LOCAL ends with the transaction
CREATE FUNCTION set_wm() RETURNS void AS $$ SET work_mem = '3MB' $$ LANGUAGE sql;
CREATE FUNCTION set_local_wm() RETURNS text AS $$
  SET LOCAL work_mem = '5MB'; SELECT current_setting('work_mem')
$$ LANGUAGE sql;
SELECT set_wm();
SHOW work_mem;
SELECT set_local_wm();
SHOW work_mem;
-- LOCK is allowed in a function, which runs inside its caller's transaction
CREATE FUNCTION lock_t() RETURNS void AS $$ LOCK TABLE sfu_t $$ LANGUAGE sql;
SELECT lock_t();
-- transaction control is not allowed; commands that manage their own transactions
-- cannot be executed from a function
CREATE FUNCTION f_begin() RETURNS void AS $$ BEGIN $$ LANGUAGE sql;
SELECT f_begin();
CREATE FUNCTION f_commit() RETURNS void AS $$ COMMIT $$ LANGUAGE sql;
SELECT f_commit();
CREATE FUNCTION f_savepoint() RETURNS void AS $$ SAVEPOINT a $$ LANGUAGE sql;
SELECT f_savepoint();
CREATE FUNCTION f_vacuum() RETURNS void AS $$ VACUUM sfu_t $$ LANGUAGE sql;
SELECT f_vacuum();
CREATE FUNCTION f_createdb() RETURNS void AS $$ CREATE DATABASE sfu_db $$ LANGUAGE sql;
SELECT f_createdb();
CREATE FUNCTION f_discard() RETURNS void AS $$ DISCARD ALL $$ LANGUAGE sql;
SELECT f_discard();
CREATE FUNCTION f_reindex() RETURNS void AS $$ REINDEX TABLE CONCURRENTLY sfu_t $$ LANGUAGE sql;
SELECT f_reindex();
CREATE FUNCTION f_copy() RETURNS void AS $$ COPY sfu_t FROM STDIN $$ LANGUAGE sql;
SELECT f_copy();
-- a non-volatile function may not change anything
CREATE FUNCTION f_stable() RETURNS int STABLE AS $$ CREATE TABLE sfu_s (a int); SELECT 1 $$ LANGUAGE sql;
SELECT f_stable();
CREATE FUNCTION f_imm_insert() RETURNS int IMMUTABLE AS $$ INSERT INTO sfu_t VALUES (9); SELECT 1 $$ LANGUAGE sql;
SELECT f_imm_insert();
-- errors found while validating the body point into the CREATE statement
CREATE FUNCTION bad_rel() RETURNS int AS $$ SELECT 1; INSERT INTO sfu_nowhere VALUES (1); SELECT 2 $$ LANGUAGE sql;
CREATE FUNCTION bad_col() RETURNS int AS 'SELECT ''x'' || nocol' LANGUAGE sql;
CREATE FUNCTION bad_syntax() RETURNS int AS $$ SELECT 1; CREATE TABLE $$ LANGUAGE sql;
