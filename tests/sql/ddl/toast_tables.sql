-- TOAST relations: which tables get one, their catalog rows and toast.* options
CREATE TABLE tt_text (a int, b text);
CREATE TABLE tt_small (a varchar(400), b varchar(100));
CREATE TABLE tt_big (a varchar(600));
CREATE TABLE tt_num (a numeric);
CREATE TABLE tt_arr (a int[]);
CREATE TABLE tt_bit (a bit(20000));
CREATE TABLE tt_fixed (a name, b int, c timestamptz);
CREATE TABLE tt_plain (a int8, b float8);
SELECT relname, reltoastrelid <> 0 AS has_toast FROM pg_class
  WHERE relname LIKE 'tt\_%' ORDER BY 1;
SELECT replace(t.relname, r.oid::text, 'OID') AS toast, t.relnamespace::regnamespace,
       t.relkind, t.relpersistence, t.relnatts, t.relhasindex, t.relreplident, t.reltype,
       t.relam, t.relowner = r.relowner AS same_owner
  FROM pg_class r JOIN pg_class t ON t.oid = r.reltoastrelid WHERE r.relname = 'tt_text';
SELECT attname, atttypid::regtype, attnotnull, attstorage FROM pg_attribute
  WHERE attrelid = (SELECT reltoastrelid FROM pg_class WHERE relname = 'tt_text')
    AND attnum > 0 ORDER BY attnum;
SELECT replace(ic.relname, r.oid::text, 'OID') AS toast_index, ic.relkind, i.indnatts,
       i.indisunique, i.indkey, i.indclass
  FROM pg_class r JOIN pg_index i ON i.indrelid = r.reltoastrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid WHERE r.relname = 'tt_text';
-- ALTER TABLE adds one when a column needs it
ALTER TABLE tt_fixed ADD COLUMN d text;
ALTER TABLE tt_small ALTER COLUMN b TYPE varchar(200);
SELECT relname, reltoastrelid <> 0 AS has_toast FROM pg_class
  WHERE relname IN ('tt_fixed', 'tt_small') ORDER BY 1;
-- toast.* storage parameters live on the TOAST relation
CREATE TABLE tt_opts (s varchar) WITH (toast.autovacuum_vacuum_cost_delay = 23,
                                       fillfactor = 40);
SELECT reloptions FROM pg_class WHERE relname = 'tt_opts';
SELECT reloptions FROM pg_class
  WHERE oid = (SELECT reltoastrelid FROM pg_class WHERE relname = 'tt_opts');
ALTER TABLE tt_opts SET (toast.autovacuum_vacuum_cost_delay = 24, toast.vacuum_truncate = false);
SELECT reloptions FROM pg_class
  WHERE oid = (SELECT reltoastrelid FROM pg_class WHERE relname = 'tt_opts');
ALTER TABLE tt_opts RESET (toast.autovacuum_vacuum_cost_delay, toast.vacuum_truncate);
SELECT reloptions FROM pg_class
  WHERE oid = (SELECT reltoastrelid FROM pg_class WHERE relname = 'tt_opts');
CREATE TABLE tt_bad (i int) WITH (toast.not_existing_option = 42);
-- a table without a TOAST relation ignores toast.* options
CREATE TABLE tt_none (i int) WITH (toast.autovacuum_enabled = false);
SELECT reltoastrelid FROM pg_class WHERE relname = 'tt_none';
-- partitioned tables have none, their partitions do; materialized views and CTAS too
CREATE TABLE tt_part (a text) PARTITION BY LIST (a);
CREATE TABLE tt_part1 PARTITION OF tt_part FOR VALUES IN ('x');
CREATE MATERIALIZED VIEW tt_mv AS SELECT 'x'::text AS t;
CREATE TABLE tt_ctas AS SELECT 'x'::text AS t;
SELECT relname, reltoastrelid <> 0 AS has_toast FROM pg_class
  WHERE relname IN ('tt_part', 'tt_part1', 'tt_mv', 'tt_ctas') ORDER BY 1;
-- temporary tables: pg_toast_temp_N
CREATE TEMP TABLE tt_temp (a text);
SELECT t.relnamespace::regnamespace::text LIKE 'pg_toast_temp_%' AS temp_toast,
       t.relpersistence
  FROM pg_class r JOIN pg_class t ON t.oid = r.reltoastrelid WHERE r.relname = 'tt_temp';
-- dropping the table drops its TOAST relation
SELECT count(*) FROM pg_class
  WHERE oid IN (SELECT reltoastrelid FROM pg_class WHERE relname LIKE 'tt\_%');
DROP TABLE tt_text, tt_small, tt_big, tt_num, tt_arr, tt_bit, tt_fixed, tt_plain, tt_opts,
  tt_none, tt_part, tt_ctas, tt_temp;
DROP MATERIALIZED VIEW tt_mv;
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'pg_toast' AND c.relname NOT IN
    (SELECT 'pg_toast_' || oid FROM pg_class) AND c.relname NOT LIKE '%_index';
