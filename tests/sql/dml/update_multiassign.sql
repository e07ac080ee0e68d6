-- UPDATE ... SET (a, b) = ROW(...) / (sub-SELECT), in UPDATE, ON CONFLICT and MERGE
CREATE TABLE ma (a int, b text DEFAULT 'dflt', c int UNIQUE);
INSERT INTO ma VALUES (1, 'x', 1), (2, 'y', 2);
UPDATE ma SET (a, b) = (c + 10, b || 'z') RETURNING *;
UPDATE ma SET (a, b) = ROW(c + 20, 'r') RETURNING *;
UPDATE ma SET (a) = ROW(c + 30) RETURNING *;
UPDATE ma SET (a, b) = (DEFAULT, DEFAULT) RETURNING *;
UPDATE ma SET (a, b) = (SELECT c * 10, 'q' WHERE c = 1) RETURNING *;
UPDATE ma SET (b, a) = (SELECT 'w' || m.c, m.c + 100 FROM ma m WHERE m.c = ma.c), c = c + 2 RETURNING *;
UPDATE ma SET (a, b) = (SELECT 1, 'e' FROM generate_series(1, 0)) RETURNING *;
UPDATE ma SET (b, a) = ROW(v.*) FROM (VALUES ('s', 3)) v(i, j) WHERE ma.c = v.j RETURNING ma.*;
UPDATE ma SET (b, a) = (v.*) FROM (VALUES ('s', 3)) v(i, j) WHERE ma.c = v.j RETURNING ma.*;
UPDATE ma SET (a, b, c) = ROW(v.*, 9) FROM (VALUES (3, 't')) v(i, j) WHERE ma.c = v.i RETURNING ma.*;
-- errors
UPDATE ma SET (a, b) = (SELECT 1);
UPDATE ma SET (a, b) = (SELECT 1, 'a', 'b');
UPDATE ma SET (a, b) = (1, 'a', 'b');
UPDATE ma SET (a, b) = (1);
UPDATE ma SET (a, b) = 1;
UPDATE ma SET (a, b) = ROW(1);
UPDATE ma SET (a, b) = (SELECT a, b FROM ma);
UPDATE ma SET (a, b, a) = (1, 'a', 2);
UPDATE ma SET (a, b) = (SELECT 'z', 1);
UPDATE ma SET (a, nosuch) = (1, 2);
-- ON CONFLICT DO UPDATE
DELETE FROM ma;
INSERT INTO ma VALUES (1, 'x', 1);
INSERT INTO ma VALUES (5, 'n', 1) ON CONFLICT (c) DO UPDATE SET (a, b) = (excluded.a * 2, DEFAULT) RETURNING *;
INSERT INTO ma VALUES (5, 'n', 1) ON CONFLICT (c) DO UPDATE SET (a, b) = (SELECT excluded.a * 3, ma.b || 's') RETURNING *;
INSERT INTO ma VALUES (5, 'n', 1) ON CONFLICT (c) DO UPDATE SET (a, b) = (1, 2, 3);
-- MERGE
MERGE INTO ma USING (VALUES (1, 'm')) v(k, s) ON ma.c = v.k
  WHEN MATCHED THEN UPDATE SET (a, b) = (SELECT 99, v.s) RETURNING *;
MERGE INTO ma USING (VALUES (1, 'm')) v(k, s) ON ma.c = v.k
  WHEN MATCHED THEN UPDATE SET (a, b) = (100, DEFAULT) RETURNING *;
MERGE INTO ma USING (VALUES (1, 'm')) v(k, s) ON ma.c = v.k
  WHEN MATCHED THEN UPDATE SET (a, b) = 7;
DROP TABLE ma;
-- partitions: each leaf has its own TIDs (ON CONFLICT's rows-touched check)
CREATE TABLE mp (f1 int PRIMARY KEY, f2 text) PARTITION BY RANGE (f1);
CREATE TABLE mp1 (f2 text, f1 int PRIMARY KEY);
CREATE TABLE mp2 (f1 int PRIMARY KEY, f2 text);
ALTER TABLE mp ATTACH PARTITION mp1 FOR VALUES FROM (1) TO (5);
ALTER TABLE mp ATTACH PARTITION mp2 FOR VALUES FROM (5) TO (100);
INSERT INTO mp SELECT x, x::text FROM generate_series(1, 10) x;
UPDATE mp i SET (f1, f2) = (SELECT i.f1, i.f2 || '-' FROM generate_series(1, 2) LIMIT 1);
INSERT INTO mp AS i VALUES (3), (7) ON CONFLICT (f1) DO UPDATE SET (f1, f2) = (SELECT i.f1, i.f2 || '+');
SELECT * FROM mp ORDER BY f1;
DROP TABLE mp;
