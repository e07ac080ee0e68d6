-- with enable_hashagg off, DISTINCT and GROUP BY sort their input
CREATE TABLE sg (a int, b int, c text);
INSERT INTO sg VALUES (3, 1, 'x'), (1, 2, 'y'), (3, 1, 'z'), (2, NULL, 'x'), (1, 2, 'y'),
  (NULL, 5, 'w');
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT DISTINCT a, b FROM sg;
SELECT DISTINCT a, b FROM sg;
EXPLAIN (COSTS OFF) SELECT DISTINCT a, b FROM sg ORDER BY b DESC;
SELECT DISTINCT a, b FROM sg ORDER BY b DESC;
EXPLAIN (COSTS OFF) SELECT DISTINCT b, a, b FROM sg ORDER BY a, a;
SELECT DISTINCT b, a, b FROM sg ORDER BY a, a;
EXPLAIN (COSTS OFF) SELECT DISTINCT a % 2 FROM sg;
SELECT DISTINCT a % 2 FROM sg;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM sg GROUP BY a;
SELECT a, count(*) FROM sg GROUP BY a;
EXPLAIN (COSTS OFF) SELECT a, b, count(*) FROM sg GROUP BY a, b ORDER BY b DESC;
SELECT a, b, count(*) FROM sg GROUP BY a, b ORDER BY b DESC;
EXPLAIN (COSTS OFF) SELECT a % 2, sum(b) FROM sg GROUP BY a % 2 ORDER BY 2;
SELECT a % 2, sum(b) FROM sg GROUP BY a % 2 ORDER BY 2;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM sg GROUP BY a HAVING count(*) > 1 ORDER BY a;
SELECT a, count(*) FROM sg GROUP BY a HAVING count(*) > 1 ORDER BY a;
EXPLAIN (COSTS OFF) SELECT c, max(a) FROM sg GROUP BY c ORDER BY c DESC NULLS LAST;
SELECT c, max(a) FROM sg GROUP BY c ORDER BY c DESC NULLS LAST;
SELECT a FROM sg UNION SELECT b FROM sg;
EXPLAIN (COSTS OFF) SELECT a FROM sg INTERSECT SELECT b FROM sg;
SELECT a FROM sg INTERSECT SELECT b FROM sg;
EXPLAIN (COSTS OFF) SELECT a FROM sg EXCEPT ALL SELECT b FROM sg;
SELECT a FROM sg EXCEPT ALL SELECT b FROM sg;
RESET enable_hashagg;
EXPLAIN (COSTS OFF) SELECT a, count(*) FROM sg GROUP BY a;
-- types without hashing sort even so
EXPLAIN (COSTS OFF)
SELECT x FROM (VALUES ('11'::varbit), ('10'::varbit)) _(x)
UNION SELECT x FROM (VALUES ('11'::varbit), ('01'::varbit)) _(x);
SELECT x FROM (VALUES ('11'::varbit), ('10'::varbit)) _(x)
UNION SELECT x FROM (VALUES ('11'::varbit), ('01'::varbit)) _(x);
EXPLAIN (COSTS OFF)
SELECT x FROM (VALUES (row(1, 2)), (row(1, 3))) _(x)
EXCEPT SELECT x FROM (VALUES (row(1, 2)), (row(1, 4))) _(x);
SELECT x FROM (VALUES (row(1, 2)), (row(1, 3))) _(x)
EXCEPT SELECT x FROM (VALUES (row(1, 2)), (row(1, 4))) _(x);

-- an index that holds every column the query reads: an index-only scan
CREATE TABLE io (a int, b int, c text);
INSERT INTO io SELECT i, i % 10, 'x' FROM generate_series(1, 5000) i;
CREATE INDEX io_a ON io (a);
ANALYZE io;
EXPLAIN (COSTS OFF) SELECT a FROM io WHERE a = 5;
SELECT a FROM io WHERE a = 5;
EXPLAIN (COSTS OFF) SELECT a, c FROM io WHERE a = 5;
EXPLAIN (COSTS OFF) SELECT a FROM io WHERE a = 5 AND a + 1 > 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM io WHERE a = 7;
EXPLAIN (COSTS OFF) SELECT * FROM io WHERE a = 5;

-- a disabled kind of node used anyway shows "Disabled: true"
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT '123'::xid UNION SELECT '123'::xid;
SELECT '123'::xid UNION SELECT '123'::xid;
RESET enable_hashagg;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM sg WHERE c ILIKE 'x' ORDER BY a;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT * FROM sg WHERE c ILIKE 'x' ORDER BY a;
RESET enable_sort;
RESET enable_seqscan;
EXPLAIN (COSTS OFF) SELECT * FROM sg WHERE c ILIKE 'x' ORDER BY a;
