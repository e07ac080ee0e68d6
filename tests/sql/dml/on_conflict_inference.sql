-- ON CONFLICT arbiter inference: expression, partial, COLLATE / operator class
CREATE TABLE oci (k int, f text, n int);
CREATE UNIQUE INDEX oci_expr ON oci (k, lower(f));
CREATE UNIQUE INDEX oci_part ON oci (n) WHERE n > 0 AND f <> 'x';
CREATE UNIQUE INDEX oci_coll ON oci (k, f COLLATE "C");
CREATE UNIQUE INDEX oci_pat ON oci (k, f text_pattern_ops);
SELECT indexrelid::regclass, indcollation FROM pg_index
  WHERE indrelid = 'oci'::regclass AND indexrelid::regclass::text IN ('oci_coll', 'oci_pat')
  ORDER BY 1;
EXPLAIN (COSTS OFF) INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (lower(f), k) DO NOTHING;
EXPLAIN (COSTS OFF) INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (k, f) DO NOTHING;
EXPLAIN (COSTS OFF) INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (k, f COLLATE "C") DO NOTHING;
EXPLAIN (COSTS OFF) INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (k, f text_pattern_ops) DO NOTHING;
EXPLAIN (COSTS OFF) INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (k, upper(f)) DO NOTHING;
EXPLAIN (COSTS OFF) INSERT INTO oci AS o VALUES (1, 'A', 1) ON CONFLICT (n) WHERE n > 0 AND o.f <> 'x'
  DO UPDATE SET f = excluded.f WHERE o.n <> 7;
INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (n) WHERE n > 0 DO NOTHING;
INSERT INTO oci VALUES (1, 'A', 1) ON CONFLICT (lower(f), k) DO UPDATE SET n = oci.n + 10;
INSERT INTO oci VALUES (1, 'a', 5) ON CONFLICT (lower(f), k) DO UPDATE SET n = oci.n + 10;
INSERT INTO oci VALUES (2, 'b', 11) ON CONFLICT (n) WHERE f <> 'x' AND n > 0
  DO UPDATE SET f = 'dup' RETURNING *;
SELECT * FROM oci ORDER BY k;
INSERT INTO oci VALUES (3, 'c', 3) ON CONFLICT (k, lower(f)) DO UPDATE SET oci.f = 'z';
-- partitioned tables: the partition's index attached to the arbiter decides
CREATE TABLE ocp (a int UNIQUE, b text) PARTITION BY LIST (a);
CREATE TABLE ocp1 PARTITION OF ocp FOR VALUES IN (1, 2);
CREATE TABLE ocp2 (b text, a int UNIQUE);
ALTER TABLE ocp ATTACH PARTITION ocp2 FOR VALUES IN (3);
INSERT INTO ocp VALUES (1, 'a'), (3, 'c') ON CONFLICT (a) DO NOTHING;
INSERT INTO ocp VALUES (1, 'b'), (3, 'd') ON CONFLICT (a) DO UPDATE SET b = excluded.b
  RETURNING tableoid::regclass, *;
INSERT INTO ocp VALUES (3, 'e') ON CONFLICT (a) DO UPDATE SET b = excluded.b
  WHERE ocp.b = 'zzz';
INSERT INTO ocp VALUES (1, 'x'), (1, 'y') ON CONFLICT (a) DO UPDATE SET b = excluded.b;
INSERT INTO ocp VALUES (1, 'x') ON CONFLICT (a) DO UPDATE SET a = 3;
INSERT INTO ocp VALUES (2, 'x') ON CONFLICT DO NOTHING;
SELECT tableoid::regclass, * FROM ocp ORDER BY a;
DROP TABLE ocp;
DROP TABLE oci;
-- a target table named excluded
CREATE TABLE excluded (key int PRIMARY KEY, data text);
INSERT INTO excluded VALUES (1, '1');
INSERT INTO excluded VALUES (1, '2') ON CONFLICT (key) DO UPDATE SET data = excluded.data;
INSERT INTO excluded AS t VALUES (1, '2') ON CONFLICT (key) DO UPDATE SET data = excluded.data
  RETURNING *;
INSERT INTO excluded VALUES (1, '2') ON CONFLICT (key) DO UPDATE SET data = 3
  RETURNING excluded.*;
DROP TABLE excluded;
