-- VACUUM gives back the empty pages at the end of a table
CREATE TABLE vt (i int NOT NULL, j text) WITH (vacuum_truncate = false, autovacuum_enabled = false);
INSERT INTO vt VALUES (1, NULL), (NULL, NULL);
VACUUM (FREEZE, DISABLE_PAGE_SKIPPING) vt;
SELECT pg_relation_size('vt') > 0 AS kept;
ALTER TABLE vt RESET (vacuum_truncate);
VACUUM (TRUNCATE false) vt;
SELECT pg_relation_size('vt') > 0 AS kept;
VACUUM vt;
SELECT pg_relation_size('vt') = 0 AS truncated;
INSERT INTO vt VALUES (1, 'a');
SELECT * FROM vt;
SELECT pg_relation_size('vt') > 0 AS grown;
-- only the empty tail goes
CREATE TABLE vt2 (a int, b text) WITH (autovacuum_enabled = false);
INSERT INTO vt2 SELECT g, repeat('x', 100) FROM generate_series(1, 3000) g;
DELETE FROM vt2 WHERE a > 1000;
SET vacuum_truncate = off;
VACUUM vt2;
SELECT pg_relation_size('vt2') / 8192 AS pages;
RESET vacuum_truncate;
VACUUM (TRUNCATE) vt2;
SELECT pg_relation_size('vt2') / 8192 AS pages, count(*) FROM vt2;
VACUUM (TRUNCATE 'maybe') vt2;
DROP TABLE vt, vt2;
