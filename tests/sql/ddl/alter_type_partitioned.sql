-- ALTER COLUMN ... TYPE on a partitioned table recurses to every partition
CREATE TABLE pt (a int, b int, c text, PRIMARY KEY (a, b)) PARTITION BY RANGE (a);
CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (10);
CREATE TABLE pt2 (c text, b int, a int NOT NULL);
ALTER TABLE pt ATTACH PARTITION pt2 FOR VALUES FROM (10) TO (20);
CREATE INDEX pt_c_idx ON pt (c);
INSERT INTO pt VALUES (1, 2, 'x'), (11, 12, 'y');
ALTER TABLE pt ALTER COLUMN b TYPE bigint USING b * 10;
ALTER TABLE pt ALTER COLUMN c TYPE varchar(5);
SELECT tableoid::regclass, a, b, c, pg_typeof(b), pg_typeof(c) FROM pt ORDER BY a;
\d pt
\d pt2
SELECT c.relname, i.inhparent::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  ORDER BY c.relname;
-- errors: partition key columns, ONLY, a partition's inherited column
ALTER TABLE pt ALTER COLUMN a TYPE bigint;
ALTER TABLE ONLY pt ALTER COLUMN b TYPE int;
ALTER TABLE pt1 ALTER COLUMN b TYPE int;
CREATE TABLE ptx (a int, b int) PARTITION BY LIST ((a + b));
ALTER TABLE ptx ALTER COLUMN b TYPE bigint;
CREATE TABLE ptp (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE ptp1 PARTITION OF ptp FOR VALUES FROM (0) TO (10) PARTITION BY LIST (b);
ALTER TABLE ptp ALTER COLUMN b TYPE bigint;
-- a partitioned table without partitions
CREATE TABLE pte (a int, b int) PARTITION BY HASH (a);
ALTER TABLE pte ALTER COLUMN b TYPE text;
\d pte
DROP TABLE pt, ptx, ptp, pte;
