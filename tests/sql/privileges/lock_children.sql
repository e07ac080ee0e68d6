-- LOCK TABLE checks the named table's privileges only: its inheritance children are
-- locked without a check of their own; ONLY leaves them alone
CREATE TABLE lk_parent (a int);
CREATE TABLE lk_child (b int) INHERITS (lk_parent);
CREATE TABLE lk_grandchild () INHERITS (lk_child);
CREATE VIEW lk_view AS SELECT * FROM lk_parent;
CREATE ROLE regress_lk_role;
GRANT UPDATE ON TABLE lk_parent TO regress_lk_role;
SET ROLE regress_lk_role;
BEGIN;
LOCK TABLE lk_child;
ROLLBACK;
BEGIN;
LOCK TABLE lk_parent * IN ACCESS EXCLUSIVE MODE;
SELECT relation::regclass, mode FROM pg_locks
  WHERE locktype = 'relation' AND relation::regclass::text LIKE 'lk%' ORDER BY relation::regclass::text;
ROLLBACK;
BEGIN;
LOCK TABLE ONLY lk_parent;
SELECT relation::regclass, mode FROM pg_locks
  WHERE locktype = 'relation' AND relation::regclass::text LIKE 'lk%' ORDER BY relation::regclass::text;
ROLLBACK;
BEGIN;
LOCK TABLE lk_view;
ROLLBACK;
RESET ROLE;
GRANT UPDATE ON TABLE lk_view TO regress_lk_role;
SET ROLE regress_lk_role;
BEGIN;
LOCK TABLE lk_view IN SHARE MODE;
SELECT relation::regclass, mode FROM pg_locks
  WHERE locktype = 'relation' AND relation::regclass::text LIKE 'lk%' ORDER BY relation::regclass::text;
ROLLBACK;
RESET ROLE;
DROP VIEW lk_view;
DROP TABLE lk_parent CASCADE;
DROP ROLE regress_lk_role;
