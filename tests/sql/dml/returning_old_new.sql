-- RETURNING OLD / NEW (PostgreSQL 18)
CREATE TABLE ro (a int, b text);
INSERT INTO ro VALUES (1, 'x');
UPDATE ro SET a = 3 RETURNING old, new, old.*, new.a, a;
INSERT INTO ro VALUES (5, 'y') RETURNING old, new, old.a, *;
DELETE FROM ro WHERE a = 5 RETURNING old.*, new.*, new, b;
UPDATE ro SET a = 4 RETURNING WITH (NEW AS nn) old.a, nn.a;
UPDATE ro SET a = 2 RETURNING WITH (OLD AS o, OLD AS p) o.a;
UPDATE ro SET a = 2 RETURNING WITH (OLD AS ro) ro.a;
CREATE VIEW rv AS SELECT a, b || '!' AS bb FROM ro;
UPDATE rv SET a = 7 RETURNING old, new, old.bb, new.bb;
WITH m AS (MERGE INTO ro t USING (VALUES (7, 'q'), (8, 'z')) v(a, b) ON t.a = v.a
  WHEN MATCHED THEN UPDATE SET b = v.b
  WHEN NOT MATCHED THEN INSERT VALUES (v.a, v.b)
  RETURNING merge_action(), old, new) SELECT * FROM m ORDER BY 1;
CREATE UNIQUE INDEX ro_a ON ro (a);
INSERT INTO ro VALUES (7, 'w') ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING old, new;
INSERT INTO ro VALUES (7, 'w') ON CONFLICT DO NOTHING RETURNING old, new;
SELECT * FROM ro ORDER BY a;
