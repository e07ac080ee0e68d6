-- MERGE: matched / not matched [by source | by target], conditions, RETURNING
CREATE TABLE target (tid integer, balance integer);
CREATE TABLE source (sid integer, delta integer);
INSERT INTO target VALUES (1, 10), (2, 20), (3, 30);
INSERT INTO source VALUES (2, 5), (4, 40);
WITH m AS (MERGE INTO target t USING source s ON t.tid = s.sid
  WHEN MATCHED THEN UPDATE SET balance = balance + delta
  WHEN NOT MATCHED THEN INSERT VALUES (s.sid, s.delta)
  RETURNING merge_action(), *) SELECT * FROM m ORDER BY sid;
SELECT * FROM target ORDER BY tid;
MERGE INTO target t USING source s ON t.tid = s.sid
  WHEN MATCHED AND t.tid = 4 THEN DELETE
  WHEN NOT MATCHED BY SOURCE AND t.tid = 1 THEN UPDATE SET balance = 0
  WHEN NOT MATCHED BY SOURCE THEN DELETE;
SELECT * FROM target ORDER BY tid;
MERGE INTO target t USING (VALUES (7, 70), (2, 2)) v(a, b) ON t.tid = v.a
  WHEN MATCHED THEN DO NOTHING
  WHEN NOT MATCHED AND v.b > 100 THEN DO NOTHING
  WHEN NOT MATCHED THEN INSERT (balance, tid) VALUES (v.b, v.a);
MERGE INTO target t USING source s ON t.tid = s.sid
  WHEN NOT MATCHED THEN INSERT DEFAULT VALUES;
SELECT * FROM target ORDER BY tid;
INSERT INTO source VALUES (2, 7);
MERGE INTO target t USING source s ON t.tid = s.sid WHEN MATCHED THEN UPDATE SET balance = 1;
MERGE INTO target t USING source s ON t.tid = s.sid WHEN MATCHED THEN DO NOTHING;
-- errors
MERGE INTO target t USING source s ON t.tid = s.sid WHEN NOT MATCHED THEN INSERT VALUES (s.sid, balance);
MERGE INTO target t USING source s ON t.tid = s.sid WHEN NOT MATCHED THEN INSERT VALUES (s.sid, t.balance);
MERGE INTO target t USING source s ON t.tid = s.sid WHEN NOT MATCHED BY SOURCE THEN UPDATE SET balance = s.delta;
MERGE INTO target t USING (SELECT * FROM source WHERE t.tid > sid) s ON t.tid = s.sid
  WHEN NOT MATCHED THEN INSERT DEFAULT VALUES;
MERGE INTO target USING target ON tid = tid WHEN MATCHED THEN DO NOTHING;
MERGE INTO target t USING source s ON t.tid = s.sid WHEN MATCHED THEN DELETE WHEN MATCHED THEN DELETE;
MERGE INTO target t USING source s ON t.tid = s.sid WHEN MATCHED THEN UPDATE SET nosuch = 1;
SELECT merge_action();
-- through an updatable view
CREATE VIEW tv AS SELECT tid, balance * 2 AS b2, balance FROM target WHERE tid > 0 WITH CHECK OPTION;
WITH m AS (MERGE INTO tv USING (VALUES (9, 90), (2, 0)) v(a, b) ON tv.tid = v.a
  WHEN MATCHED THEN UPDATE SET balance = v.b
  WHEN NOT MATCHED THEN INSERT (tid, balance) VALUES (v.a, v.b)
  RETURNING merge_action(), tv.*) SELECT * FROM m ORDER BY tid;
MERGE INTO tv USING (VALUES (-9, 90)) v(a, b) ON tv.tid = v.a
  WHEN NOT MATCHED THEN INSERT (tid, balance) VALUES (v.a, v.b);
MERGE INTO tv USING (VALUES (-9, 90)) v(a, b) ON tv.tid = v.a
  WHEN NOT MATCHED THEN INSERT (tid, b2) VALUES (v.a, v.b);
CREATE VIEW ro AS SELECT DISTINCT tid FROM target;
MERGE INTO ro USING (VALUES (1)) v(a) ON ro.tid = v.a WHEN MATCHED THEN DELETE;
MERGE INTO ro USING (VALUES (1)) v(a) ON ro.tid = v.a WHEN MATCHED THEN DO NOTHING;
SELECT * FROM target ORDER BY tid;
-- inheritance parents and partitioned tables
CREATE TABLE mpar (a int, b text);
CREATE TABLE mchi (c int) INHERITS (mpar);
INSERT INTO mpar VALUES (1, 'p');
INSERT INTO mchi VALUES (2, 'c', 9);
WITH m AS (MERGE INTO mpar t USING (VALUES (1, 'x'), (2, 'y'), (3, 'z')) v(a, b) ON t.a = v.a
  WHEN MATCHED AND t.a = 2 THEN UPDATE SET b = v.b
  WHEN MATCHED THEN DELETE
  WHEN NOT MATCHED THEN INSERT VALUES (v.a, v.b)
  RETURNING merge_action(), t.*) SELECT * FROM m ORDER BY a;
SELECT tableoid::regclass, * FROM mpar ORDER BY a;
CREATE TABLE mpt (a int, b text) PARTITION BY LIST (a);
CREATE TABLE mpt1 PARTITION OF mpt FOR VALUES IN (1);
CREATE TABLE mpt2 PARTITION OF mpt FOR VALUES IN (2);
CREATE TABLE mpt3 PARTITION OF mpt FOR VALUES IN (3);
INSERT INTO mpt VALUES (1, 'x'), (2, 'y');
WITH m AS (MERGE INTO mpt t USING (VALUES (1, 'q'), (2, 'r'), (3, 's')) v(a, b) ON t.a = v.a
  WHEN MATCHED AND t.a = 1 THEN UPDATE SET a = 3
  WHEN MATCHED THEN UPDATE SET b = v.b
  WHEN NOT MATCHED THEN INSERT VALUES (v.a, v.b)
  RETURNING merge_action(), t.*) SELECT * FROM m ORDER BY a, b;
SELECT tableoid::regclass, * FROM mpt ORDER BY a, b;
MERGE INTO mpt t USING (VALUES (4, 'q')) v(a, b) ON t.a = v.a WHEN NOT MATCHED THEN INSERT VALUES (v.a, v.b);
-- COPY (MERGE/INSERT ... RETURNING) TO STDOUT
CREATE TABLE cpt (a int);
COPY (INSERT INTO cpt VALUES (1)) TO STDOUT;
COPY (INSERT INTO cpt VALUES (1) RETURNING a, a + 1) TO STDOUT;
COPY (MERGE INTO cpt t USING (VALUES (1), (5)) v(x) ON t.a = v.x
  WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (v.x)
  RETURNING merge_action(), *) TO STDOUT;
COPY (MERGE INTO cpt t USING (VALUES (1)) v(x) ON t.a = v.x WHEN MATCHED THEN DELETE) TO STDOUT;
