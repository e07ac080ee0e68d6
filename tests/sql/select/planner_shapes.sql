-- plan shapes: trivial subquery scans, partial indexes, TID scans, redundant pathkeys
CREATE TABLE ps (id int, four int, two int, data text);
INSERT INTO ps SELECT i, i % 4, i % 2, 'x' || i FROM generate_series(1, 2000) i;
ANALYZE ps;

-- a subquery scan that neither filters nor projects is removed
EXPLAIN (COSTS OFF)
SELECT t.id, s.c FROM ps t,
  LATERAL (SELECT count(*) c FROM ps t2 WHERE t2.ctid <= t.ctid) s
WHERE t.ctid < '(0,3)';
SELECT t.id, s.c FROM ps t,
  LATERAL (SELECT count(*) c FROM ps t2 WHERE t2.ctid <= t.ctid) s
WHERE t.ctid < '(0,3)';
-- one that projects stays
EXPLAIN (COSTS OFF)
SELECT data FROM (SELECT id, data FROM ps ORDER BY id LIMIT 3) s;

-- a partial index serves a query whose quals imply its predicate
CREATE INDEX ps_partial ON ps USING hash (id) WHERE id = 1999;
EXPLAIN (COSTS OFF) SELECT * FROM ps WHERE id = 1999;
SELECT * FROM ps WHERE id = 1999;
EXPLAIN (COSTS OFF) SELECT * FROM ps WHERE id = 1998;
EXPLAIN (COSTS OFF) SELECT * FROM ps WHERE id = 1999;
DROP INDEX ps_partial;

-- DISTINCT / DISTINCT ON whose keys are all fixed by constants: a Limit
EXPLAIN (COSTS OFF) SELECT DISTINCT four FROM ps WHERE four = 0;
SELECT DISTINCT four FROM ps WHERE four = 0;
EXPLAIN (COSTS OFF) SELECT DISTINCT four, 1, 2 FROM ps WHERE four = 0;
EXPLAIN (COSTS OFF) SELECT DISTINCT ON (four) four, two FROM ps WHERE four = 0 ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT DISTINCT ON (four) four, two FROM ps WHERE four = 0 ORDER BY 1, 2;
SELECT DISTINCT ON (four) four, two FROM ps WHERE four = 0 ORDER BY 1, 2;
-- sort keys fixed by a constant are dropped
EXPLAIN (COSTS OFF) SELECT id, four FROM ps WHERE four = 1 ORDER BY four, id DESC LIMIT 2;
SELECT id, four FROM ps WHERE four = 1 ORDER BY four, id DESC LIMIT 2;
SELECT id, four FROM ps WHERE four = 1 AND id < 10 ORDER BY four FETCH FIRST 1 ROW WITH TIES;

-- WHERE CURRENT OF is a TID scan; EXPLAIN ANALYZE counts the update's rows
CREATE TABLE tc (id int);
INSERT INTO tc VALUES (1), (2), (3);
BEGIN;
DECLARE c CURSOR FOR SELECT ctid, * FROM tc;
FETCH NEXT FROM c;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF, BUFFERS OFF)
UPDATE tc SET id = -id WHERE CURRENT OF c RETURNING *;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF, TIMING OFF, BUFFERS OFF)
UPDATE tc SET id = -id WHERE CURRENT OF c;
FETCH NEXT FROM c;
DELETE FROM tc WHERE CURRENT OF c RETURNING *;
COMMIT;
SELECT * FROM tc ORDER BY id;

-- a nested loop over a parameterized TID scan
SET enable_hashjoin TO off;
EXPLAIN (COSTS OFF)
SELECT t1.*, t2.* FROM tc t1 JOIN tc t2 ON t1.ctid = t2.ctid WHERE t1.id = 3;
SELECT t1.*, t2.* FROM tc t1 JOIN tc t2 ON t1.ctid = t2.ctid WHERE t1.id = 3;
EXPLAIN (COSTS OFF)
SELECT t1.*, t2.* FROM tc t1 LEFT JOIN tc t2 ON t1.ctid = t2.ctid WHERE t1.id = 3;
RESET enable_hashjoin;

-- two scans of one CTE without a join clause: the restricted one is the outer side
WITH v(x) AS (VALUES (0), (1), (2))
SELECT x1, x2 FROM v AS v1(x1), v AS v2(x2) WHERE x2 <> 0;
WITH v(x) AS (VALUES (0), (1), (2))
SELECT x1, x2 FROM v AS v1(x1), v AS v2(x2) WHERE x1 <> 0;
EXPLAIN (COSTS OFF) WITH v(x) AS (VALUES (0), (1), (2))
SELECT x1, x2 FROM v AS v1(x1), v AS v2(x2) WHERE x2 <> 0;
