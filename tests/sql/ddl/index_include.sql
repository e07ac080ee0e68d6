-- CREATE INDEX ... INCLUDE: non-key columns, not part of the key or its uniqueness
CREATE TABLE inc (a int, b int, c text, d int);
CREATE INDEX inc_cover ON inc (a DESC, d) INCLUDE (b, c);
CREATE INDEX ON inc (a) INCLUDE (a, b, b);
SELECT c.relname, i.indnatts, i.indnkeyatts, i.indkey, i.indclass, i.indoption
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indrelid = 'inc'::regclass ORDER BY 1;
SELECT pg_get_indexdef('inc_cover'::regclass), pg_get_indexdef('inc_cover'::regclass, 3, true);
SELECT attname, attnum FROM pg_attribute WHERE attrelid = 'inc_a_a1_b_b1_idx'::regclass
  ORDER BY attnum;
\d inc_cover
\d inc
-- uniqueness is on the key only
CREATE UNIQUE INDEX inc_u ON inc (a) INCLUDE (c);
INSERT INTO inc VALUES (1, 1, 'x', 1), (2, 1, 'x', 1);
INSERT INTO inc VALUES (1, 2, 'y', 2);
INSERT INTO inc VALUES (NULL, 2, 'y', 2), (NULL, 2, 'y', 2);
SELECT * FROM inc WHERE a = 1;
-- errors
CREATE INDEX ON inc (a) INCLUDE ((b + 1));
CREATE INDEX ON inc (a) INCLUDE (c COLLATE "C");
CREATE INDEX ON inc (a) INCLUDE (c text_pattern_ops);
CREATE INDEX ON inc (a) INCLUDE (b DESC);
CREATE INDEX ON inc (a) INCLUDE (b NULLS FIRST);
CREATE INDEX ON inc (a) INCLUDE (zz);
CREATE INDEX ON inc USING hash (a) INCLUDE (b);
CREATE INDEX ON inc USING brin (a) INCLUDE (b);
CREATE INDEX ON inc USING gin (a, b) INCLUDE (c);
CREATE UNIQUE INDEX ON inc USING hash (a);
CREATE INDEX ON inc USING hash (a, b);
CREATE INDEX ON inc USING spgist (a, b);
-- constraints with INCLUDE
CREATE TABLE inc2 (a int, b int, c int, UNIQUE (a) INCLUDE (b, c),
                   PRIMARY KEY (b) INCLUDE (a, c));
SELECT conname, contype, conkey, pg_get_constraintdef(oid) FROM pg_constraint
  WHERE conrelid = 'inc2'::regclass ORDER BY conname;
\d inc2
ALTER TABLE inc2 ADD CONSTRAINT inc2_c UNIQUE (c) INCLUDE (a);
ALTER TABLE inc2 ADD UNIQUE (a) INCLUDE (zz);
CREATE TABLE inc3 (a int, UNIQUE (a) INCLUDE (zz));
CREATE TABLE inc4 (LIKE inc2 INCLUDING INDEXES);
\d inc4
CREATE TABLE inc5 (a int, b int, c int, EXCLUDE USING btree (a WITH =) INCLUDE (b, c));
SELECT conname, conkey, pg_get_constraintdef(oid) FROM pg_constraint
  WHERE conrelid = 'inc5'::regclass;
INSERT INTO inc5 VALUES (1, 2, 3), (1, 4, 5);
-- dropping an INCLUDE column drops the index (and its constraint)
ALTER TABLE inc2 DROP COLUMN c;
SELECT conname FROM pg_constraint WHERE conrelid = 'inc2'::regclass ORDER BY 1;
\d inc2
-- a new type for an INCLUDE column
ALTER TABLE inc ALTER COLUMN b TYPE bigint;
\d inc_cover
-- statistics on index columns
CREATE INDEX inc_st ON inc (a, (a + 0)) INCLUDE (b);
ALTER INDEX inc_st ALTER COLUMN 1 SET STATISTICS 100;
ALTER INDEX inc_st ALTER COLUMN 2 SET STATISTICS 100;
ALTER INDEX inc_st ALTER COLUMN 3 SET STATISTICS 100;
SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = 'inc_st'::regclass
  ORDER BY attnum;
-- partitioned tables
CREATE TABLE incp (a int, b int, c text) PARTITION BY RANGE (a);
CREATE INDEX ON incp (a) INCLUDE (b);
CREATE TABLE incp1 PARTITION OF incp FOR VALUES FROM (0) TO (10);
ALTER TABLE incp ADD UNIQUE (a) INCLUDE (c);
\d incp1
DROP TABLE inc, inc2, inc4, inc5, incp;
-- the rtree synonym
CREATE TABLE incr (a int4range);
CREATE INDEX ON incr USING rtree (a);
\d incr
DROP TABLE incr;
