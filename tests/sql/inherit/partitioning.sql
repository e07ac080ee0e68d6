-- declarative partitioning: bounds and their errors, routing, row movement,
-- ATTACH/DETACH, partition constraints, psql \d
CREATE TABLE rp (a int, b int) PARTITION BY RANGE (a, b);
CREATE TABLE rp1 PARTITION OF rp FOR VALUES FROM (1) TO (2);
CREATE TABLE rp1 PARTITION OF rp FOR VALUES FROM (1, 1) TO (1, 1);
CREATE TABLE rp1 PARTITION OF rp FOR VALUES FROM (1, MINVALUE) TO (10, 5);
CREATE TABLE rp2 PARTITION OF rp FOR VALUES FROM (5, 1) TO (20, 1);
CREATE TABLE rp2 PARTITION OF rp FOR VALUES FROM (0, 1) TO (2, 1);
CREATE TABLE rp3 PARTITION OF rp FOR VALUES FROM (MAXVALUE, 1) TO (MAXVALUE, MAXVALUE);
CREATE TABLE rp3 PARTITION OF rp FOR VALUES FROM (NULL, 1) TO (30, MAXVALUE);
CREATE TABLE rp2 PARTITION OF rp FOR VALUES FROM (10, 5) TO (20, MAXVALUE);
INSERT INTO rp VALUES (100, 5);
INSERT INTO rp VALUES (1, 5), (10, 7) RETURNING tableoid::regclass, *;
INSERT INTO rp1 VALUES (100, 5);
UPDATE rp SET a = 15 WHERE a = 1 RETURNING tableoid::regclass, *;
UPDATE rp1 SET a = 15;
SELECT tableoid::regclass, * FROM rp ORDER BY 1, 2;
CREATE TABLE lp (a int8, b text) PARTITION BY LIST (a);
CREATE TABLE lp1 PARTITION OF lp FOR VALUES IN (1, -2, NULL);
CREATE TABLE lp2 PARTITION OF lp DEFAULT;
CREATE TABLE lpx PARTITION OF lp FOR VALUES IN (7, 7, 8);
CREATE TABLE lpd PARTITION OF lp DEFAULT;
INSERT INTO lp VALUES (5), (1), (NULL), (7);
SELECT tableoid::regclass, * FROM lp;
CREATE TABLE lp3 PARTITION OF lp FOR VALUES IN (5);
SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), pg_get_partition_constraintdef(c.oid)
  FROM pg_class c WHERE c.relispartition ORDER BY 1;
SELECT * FROM pg_partition_tree('rp');
SELECT pg_partition_root('rp1'), pg_get_partkeydef('rp'::regclass);
\d+ rp
\d+ lp1
-- attach and detach
CREATE TABLE x1 (b text, a int8);
INSERT INTO x1 VALUES ('x', 3);
ALTER TABLE lp ATTACH PARTITION x1 FOR VALUES IN (1);
ALTER TABLE lp ATTACH PARTITION x1 FOR VALUES IN (4);
DELETE FROM x1;
ALTER TABLE lp ATTACH PARTITION x1 FOR VALUES IN (3);
INSERT INTO lp VALUES (3, 'three') RETURNING tableoid::regclass, *;
ALTER TABLE lp DETACH PARTITION x1;
SELECT attname, attislocal, attinhcount FROM pg_attribute
  WHERE attrelid = 'x1'::regclass AND attnum > 0 ORDER BY attnum;
-- hash partitioning uses PostgreSQL's hash functions
CREATE TABLE hp (a int, b text) PARTITION BY HASH (a, b);
CREATE TABLE hp0 PARTITION OF hp FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE hp1 PARTITION OF hp FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE hpx PARTITION OF hp FOR VALUES WITH (MODULUS 3, REMAINDER 1);
INSERT INTO hp SELECT g, g::text FROM generate_series(1, 10) g;
SELECT tableoid::regclass, count(*) FROM hp GROUP BY 1 ORDER BY 1;
-- indexes of partitioned tables
CREATE TABLE pk (a int PRIMARY KEY, b int) PARTITION BY RANGE (a);
CREATE TABLE pk1 PARTITION OF pk FOR VALUES FROM (1) TO (10);
CREATE TABLE bad (a int, b int, PRIMARY KEY (b)) PARTITION BY RANGE (a);
INSERT INTO pk VALUES (1, 1);
INSERT INTO pk VALUES (1, 2);
\d pk1
DROP TABLE rp, lp, hp, pk, x1;
