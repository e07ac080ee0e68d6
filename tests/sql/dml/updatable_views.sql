-- INSERT / UPDATE / DELETE through automatically updatable views
CREATE TABLE base_tbl (a int PRIMARY KEY, b text DEFAULT 'Unspecified');
INSERT INTO base_tbl SELECT i, 'Row ' || i FROM generate_series(-2, 2) g(i);
CREATE VIEW ro_view1 AS SELECT DISTINCT a, b FROM base_tbl;
CREATE VIEW ro_view2 AS SELECT count(*) FROM base_tbl;
CREATE VIEW ro_view3 AS SELECT a, b FROM (SELECT * FROM base_tbl) t;
CREATE VIEW ro_view4 AS SELECT * FROM ro_view1;
CREATE VIEW ro_view5 AS SELECT 1 AS a;
CREATE VIEW rw_view1 AS SELECT ctid, a, b FROM base_tbl;
CREATE VIEW rw_view2 AS SELECT a, upper(b) FROM base_tbl;
CREATE VIEW rw_view3 AS SELECT a, b, a AS aa FROM base_tbl;
DELETE FROM ro_view1;
UPDATE ro_view2 SET count = 0;
INSERT INTO ro_view3 VALUES (3, 'Row 3');
INSERT INTO ro_view4 VALUES (3, 'Row 3');
DELETE FROM ro_view5;
INSERT INTO rw_view1 VALUES (null, 3, 'Row 3');
INSERT INTO rw_view1 (a, b) VALUES (3, 'Row 3');
UPDATE rw_view1 SET ctid = null WHERE a = 3;
UPDATE rw_view1 SET b = 'ROW 3' WHERE a = 3 RETURNING a, b;
DELETE FROM rw_view1 WHERE a = 3 RETURNING a, b;
INSERT INTO rw_view2 VALUES (3, 'ROW 3');
INSERT INTO rw_view2 (a) VALUES (3) RETURNING *;
UPDATE rw_view2 SET upper = 'x' WHERE a = 3;
UPDATE rw_view2 SET a = 4 WHERE a = 3 RETURNING *;
UPDATE rw_view3 SET a = 3, aa = -3 WHERE a = 4;
UPDATE rw_view3 SET aa = -4 WHERE a = 4 RETURNING *;
DELETE FROM rw_view3 WHERE aa = -4;
SELECT * FROM base_tbl ORDER BY a;
-- nested views, view defaults and WITH CHECK OPTION
CREATE VIEW v1 AS SELECT * FROM base_tbl WHERE a > 0;
CREATE VIEW v2 AS SELECT a, b || '!' AS bb, b FROM v1 WHERE a < 10 WITH CASCADED CHECK OPTION;
ALTER VIEW v2 ALTER COLUMN b SET DEFAULT 'View default';
INSERT INTO v2 (a) VALUES (5) RETURNING *;
INSERT INTO v2 (a) VALUES (-5);
INSERT INTO v2 (a) VALUES (15);
UPDATE v2 SET a = a + 10 WHERE a = 5;
UPDATE v2 SET b = DEFAULT WHERE a = 1 RETURNING *;
SELECT * FROM v2 ORDER BY a;
DELETE FROM v2 WHERE bb LIKE 'Row%' RETURNING *;
ALTER VIEW v2 SET (check_option = local);
INSERT INTO v2 (a) VALUES (-6);
ALTER VIEW v2 SET (check_option = here);
ALTER VIEW v2 RESET (check_option);
INSERT INTO v2 (a) VALUES (16);
SELECT relname, reloptions FROM pg_class WHERE relname IN ('v1', 'v2') ORDER BY relname;
CREATE VIEW v3 WITH (security_barrier) AS SELECT * FROM base_tbl WHERE a < 0 WITH LOCAL CHECK OPTION;
SELECT reloptions FROM pg_class WHERE relname = 'v3';
CREATE VIEW v4 WITH (security_barrier = maybe) AS SELECT 1;
CREATE VIEW v4 WITH (foo = 1) AS SELECT 1;
CREATE VIEW v4 AS SELECT 1 AS x WITH CHECK OPTION;
SELECT * FROM base_tbl ORDER BY a;
-- dependencies
DROP TABLE base_tbl;
DROP VIEW v1;
DROP TABLE base_tbl CASCADE;
SELECT count(*) FROM pg_class WHERE relname LIKE 'r_\_view%' OR relname LIKE 'v_';
-- INSERT ... ON CONFLICT through a view
CREATE TABLE uv_iocu_tab (a text UNIQUE, b float);
INSERT INTO uv_iocu_tab VALUES ('xyxyxy', 0);
CREATE VIEW uv_iocu_view AS SELECT b, b + 1 AS c, a, '2.0'::text AS two FROM uv_iocu_tab;
INSERT INTO uv_iocu_view (a, b) VALUES ('xyxyxy', 1) ON CONFLICT (a) DO UPDATE SET b = uv_iocu_view.b;
SELECT * FROM uv_iocu_tab;
INSERT INTO uv_iocu_view (a, b) VALUES ('xyxyxy', 1) ON CONFLICT (a) DO UPDATE SET b = excluded.b;
INSERT INTO uv_iocu_view (a, b) VALUES ('xyxyxy', 3) ON CONFLICT (a) DO UPDATE SET b = cast(excluded.two AS float);
SELECT * FROM uv_iocu_tab;
INSERT INTO uv_iocu_view (a, b) VALUES ('xyxyxy', 3) ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE excluded.c > 0 RETURNING *;
INSERT INTO uv_iocu_view (a, b) VALUES ('xyxyxy', 3) ON CONFLICT (a) DO UPDATE SET c = 1;
INSERT INTO uv_iocu_view (a, b) VALUES ('xyxyxy', 3) ON CONFLICT DO NOTHING;
INSERT INTO uv_iocu_view (a, b) VALUES ('zz', 3) ON CONFLICT (a) DO NOTHING RETURNING *;
-- pg_relation_is_updatable / pg_column_is_updatable
CREATE VIEW uv_expr AS SELECT b + 1 AS x FROM uv_iocu_tab;
CREATE VIEW uv_over_expr AS SELECT x FROM uv_expr;
CREATE VIEW uv_ro AS SELECT DISTINCT a FROM uv_iocu_tab;
SELECT c.relname, pg_relation_is_updatable(c.oid, false) AS events,
       pg_column_is_updatable(c.oid, 1::smallint, false) AS col1
  FROM pg_class c WHERE c.relname IN ('uv_iocu_tab', 'uv_iocu_view', 'uv_expr', 'uv_over_expr', 'uv_ro')
 ORDER BY c.relname;
DROP TABLE uv_iocu_tab CASCADE;
-- views over inheritance parents and partitioned tables
CREATE TABLE par (a int, b text);
CREATE TABLE chi (c int) INHERITS (par);
INSERT INTO par VALUES (1, 'p');
INSERT INTO chi VALUES (2, 'c', 9);
CREATE VIEW pv AS SELECT * FROM par WHERE a > 0;
UPDATE pv SET b = b || '!' RETURNING *;
SELECT tableoid::regclass, * FROM par ORDER BY a;
DELETE FROM pv WHERE a = 2 RETURNING *;
SELECT * FROM par ORDER BY a;
CREATE TABLE pt (a int, b text) PARTITION BY LIST (a);
CREATE TABLE pt1 PARTITION OF pt FOR VALUES IN (1);
CREATE TABLE pt2 PARTITION OF pt FOR VALUES IN (2);
CREATE VIEW ptv AS SELECT * FROM pt;
INSERT INTO ptv VALUES (1, 'x'), (2, 'y') RETURNING *;
UPDATE ptv SET a = 2 WHERE a = 1 RETURNING *;
SELECT tableoid::regclass, * FROM pt ORDER BY a, b;
CREATE VIEW ptc AS SELECT * FROM pt WHERE b <> 'bad' WITH CHECK OPTION;
INSERT INTO ptc VALUES (1, 'bad');
UPDATE ptc SET b = 'bad' WHERE a = 2;
