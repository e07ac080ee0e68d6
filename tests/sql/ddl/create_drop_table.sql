-- CREATE TABLE / DROP TABLE: columns, IF [NOT] EXISTS, errors, describe
CREATE TABLE t1 (a int, b text, c numeric(5,2));
CREATE TABLE t1 (x int);
CREATE TABLE IF NOT EXISTS t1 (x int);
CREATE TABLE t2 (a int, a text);
CREATE TABLE t3 (a nosuchtype);
CREATE TABLE "Mixed Case" ("Col A" int, "select" text);
INSERT INTO "Mixed Case" VALUES (1, 'x');
SELECT "Col A", "select" FROM "Mixed Case";
SELECT * FROM mixed_case;
\d t1
SELECT attname, atttypid::regtype, attnum, attnotnull FROM pg_attribute
 WHERE attrelid = 't1'::regclass AND attnum > 0 ORDER BY attnum;
SELECT relname, relkind FROM pg_class WHERE relname IN ('t1', 'Mixed Case') ORDER BY relname;
INSERT INTO t1 VALUES (1, 'one', 1.5), (2, 'two', 2.25);
INSERT INTO t1 (b) VALUES ('only b');
INSERT INTO t1 (nosuch) VALUES (1);
SELECT * FROM t1 ORDER BY a NULLS LAST;
CREATE TABLE t4 AS SELECT a, b FROM t1 WHERE a IS NOT NULL;
SELECT * FROM t4 ORDER BY a;
CREATE TABLE t5 (LIKE t1);
\d t5
DROP TABLE t1, t4;
SELECT * FROM t1;
DROP TABLE t1;
DROP TABLE IF EXISTS t1;
DROP TABLE IF EXISTS t5, nosuch;
DROP TABLE "Mixed Case";
CREATE TABLE empty_cols ();
SELECT * FROM empty_cols;
DROP TABLE empty_cols;
