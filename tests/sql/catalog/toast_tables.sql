-- TOAST relations: which tables get one, their catalog rows, and what follows them
CREATE TABLE tt_text (a int, b text);
CREATE TABLE tt_ints (a int, b bigint, c name);
CREATE TABLE tt_short (a varchar(10));
CREATE TABLE tt_500 (a varchar(500));
CREATE TABLE tt_502 (a varchar(502));
CREATE TABLE tt_bpchar (a char(2000), b char(100));
CREATE TABLE tt_arr (a int[]);
CREATE TABLE tt_range (a int4range);
CREATE TABLE tt_row (a int, b tt_text);
CREATE DOMAIN short_text AS varchar(5);
CREATE TABLE tt_dom (a short_text);
CREATE TABLE tt_part (a text) PARTITION BY LIST (a);
CREATE TABLE tt_part1 PARTITION OF tt_part FOR VALUES IN ('x');
CREATE MATERIALIZED VIEW tt_mv AS SELECT 'a'::text AS t;
CREATE VIEW tt_view AS SELECT 'a'::text AS t;
SELECT c.relname, c.reltoastrelid <> 0 AS has_toast,
       t.relname = 'pg_toast_' || c.oid AS toast_named,
       t.relnamespace::regnamespace AS toast_nsp, t.relkind, t.relpersistence,
       t.relhasindex, t.reltype, t.relnatts, t.relreplident
  FROM pg_class c LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
 WHERE c.relname LIKE 'tt\_%'
 ORDER BY 1;
-- the TOAST table's columns and its index
SELECT a.attname, a.atttypid::regtype, a.attstorage, a.attnotnull
  FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.reltoastrelid
 WHERE c.relname = 'tt_text' AND a.attnum > 0 ORDER BY a.attnum;
SELECT ic.relname = 'pg_toast_' || c.oid || '_index' AS index_named, ic.relkind, ic.relam,
       i.indnatts, i.indisunique, i.indisprimary, i.indkey, ic.relpersistence
  FROM pg_class c JOIN pg_index i ON i.indrelid = c.reltoastrelid
  JOIN pg_class ic ON ic.oid = i.indexrelid
 WHERE c.relname = 'tt_text';
-- a TOAST table can be read
SELECT count(*) FROM pg_toast.pg_toast_1213;
-- ALTER TABLE ADD COLUMN of a toastable type adds one, to inheritance children too
CREATE TABLE tt_parent (a int);
CREATE TABLE tt_child () INHERITS (tt_parent);
SELECT relname, reltoastrelid <> 0 AS has_toast FROM pg_class
 WHERE relname IN ('tt_parent', 'tt_child') ORDER BY 1;
ALTER TABLE tt_parent ADD COLUMN b text;
SELECT relname, reltoastrelid <> 0 AS has_toast FROM pg_class
 WHERE relname IN ('tt_parent', 'tt_child') ORDER BY 1;
-- a rewrite to types that need none drops it; dropping a column does not
CREATE TABLE tt_rewrite (a text);
ALTER TABLE tt_rewrite ALTER a TYPE int USING 1;
SELECT reltoastrelid <> 0 AS has_toast FROM pg_class WHERE relname = 'tt_rewrite';
CREATE TABLE tt_dropcol (a int, b text);
ALTER TABLE tt_dropcol DROP COLUMN b;
SELECT reltoastrelid <> 0 AS has_toast FROM pg_class WHERE relname = 'tt_dropcol';
-- persistence and owner follow the table
CREATE UNLOGGED TABLE tt_unlogged (a serial PRIMARY KEY, b text);
SELECT t.relpersistence FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
 WHERE c.relname = 'tt_unlogged';
ALTER TABLE tt_unlogged SET LOGGED;
SELECT t.relpersistence, ti.relpersistence
  FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
  JOIN pg_index i ON i.indrelid = t.oid JOIN pg_class ti ON ti.oid = i.indexrelid
 WHERE c.relname = 'tt_unlogged';
CREATE ROLE regress_toast_owner;
ALTER TABLE tt_unlogged OWNER TO regress_toast_owner;
SELECT t.relowner::regrole FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
 WHERE c.relname = 'tt_unlogged';
-- temporary tables' TOAST tables live in pg_toast_temp_N
CREATE TEMP TABLE tt_temp (a text);
SELECT t.relnamespace::regnamespace::text LIKE 'pg_toast_temp_%' AS in_toast_temp,
       t.relpersistence
  FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.relname = 'tt_temp';
-- sizes: an empty TOAST table and its index (the metapage)
SELECT pg_relation_size(c.reltoastrelid) AS toast, pg_relation_size(i.indexrelid) AS toast_index,
       pg_table_size(c.oid) AS table_size, pg_indexes_size(c.oid) AS indexes,
       pg_total_relation_size(c.oid) AS total
  FROM pg_class c JOIN pg_index i ON i.indrelid = c.reltoastrelid WHERE c.relname = 'tt_text';
-- DROP TABLE drops it
SELECT 'pg_toast_' || oid AS toastname FROM pg_class WHERE relname = 'tt_text' \gset
DROP TABLE tt_row;
DROP TABLE tt_text;
SELECT count(*) FROM pg_class WHERE relname IN (:'toastname', :'toastname' || '_index');
-- TOAST tables cannot be changed directly
UPDATE pg_toast.pg_toast_1255 SET chunk_id = 1;
DROP TABLE tt_unlogged;
DROP ROLE regress_toast_owner;
