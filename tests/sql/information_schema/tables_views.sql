-- information_schema.tables and information_schema.views
CREATE TABLE itv_t (a int, b text);
CREATE VIEW itv_v1 AS SELECT a, b FROM itv_t;
CREATE VIEW itv_v2 AS SELECT a + 1 AS a1 FROM itv_t;
CREATE VIEW itv_v3 AS SELECT a, b FROM itv_t WHERE a > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW itv_v4 AS SELECT a FROM itv_v3 WITH CASCADED CHECK OPTION;
CREATE VIEW itv_v5 AS SELECT DISTINCT a FROM itv_t;
CREATE TYPE itv_ct AS (x int, y text);
CREATE TABLE itv_typed OF itv_ct;
CREATE TABLE itv_part (a int) PARTITION BY RANGE (a);
CREATE TEMP TABLE itv_temp (a int);
SELECT table_catalog = current_database() AS cat, table_schema LIKE 'pg_temp%' AS temp_schema,
       table_name, table_type, self_referencing_column_name, reference_generation,
       user_defined_type_catalog = current_database() AS udt_cat, user_defined_type_schema,
       user_defined_type_name, is_insertable_into, is_typed, commit_action
  FROM information_schema.tables WHERE table_name LIKE 'itv%' ORDER BY table_name;
SELECT table_name, view_definition, check_option, is_updatable, is_insertable_into,
       is_trigger_updatable, is_trigger_deletable, is_trigger_insertable_into
  FROM information_schema.views WHERE table_name LIKE 'itv%' ORDER BY table_name;
SELECT table_name, column_name, is_updatable FROM information_schema.columns
  WHERE table_name LIKE 'itv_v%' ORDER BY table_name, ordinal_position;
-- privilege filtering; the view's definition only for members of its owner
CREATE ROLE itv_user;
GRANT SELECT ON itv_v1 TO itv_user;
GRANT UPDATE (b) ON itv_t TO itv_user;
SET ROLE itv_user;
SELECT table_name, table_type FROM information_schema.tables
  WHERE table_name LIKE 'itv%' ORDER BY 1;
SELECT table_name, view_definition FROM information_schema.views
  WHERE table_name LIKE 'itv%' ORDER BY 1;
RESET ROLE;
SELECT pg_typeof(table_name), pg_typeof(table_type), pg_typeof(is_typed)
  FROM information_schema.tables WHERE table_name = 'itv_t';
DROP VIEW itv_v4, itv_v5, itv_v3, itv_v2, itv_v1;
DROP TABLE itv_t, itv_typed, itv_part, itv_temp;
DROP TYPE itv_ct;
DROP ROLE itv_user;
