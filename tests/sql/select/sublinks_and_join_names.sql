-- EXISTS / NOT EXISTS / IN over subqueries (run as semi/anti joins or hashed subplans)
CREATE TABLE sa (x int, y int);
CREATE TABLE sb (x int, z int);
INSERT INTO sa VALUES (1,1),(2,2),(3,NULL),(NULL,4);
INSERT INTO sb VALUES (1,10),(1,11),(3,30),(NULL,40);
SELECT * FROM sa WHERE EXISTS (SELECT 1 FROM sb WHERE sb.x = sa.x) ORDER BY 1;
SELECT * FROM sa WHERE NOT EXISTS (SELECT 1 FROM sb WHERE sb.x = sa.x) ORDER BY 1;
SELECT * FROM sa WHERE x IN (SELECT x FROM sb) ORDER BY 1;
SELECT * FROM sa WHERE x IN (SELECT x FROM sb WHERE z > 10) ORDER BY 1;
SELECT * FROM sa WHERE EXISTS (SELECT 1 FROM sb WHERE sb.x = sa.x AND sb.z > sa.y * 10) ORDER BY 1;
SELECT * FROM sa WHERE EXISTS (SELECT 1 FROM sb WHERE sb.z > sa.y * 10) ORDER BY 1;
SELECT * FROM sa WHERE NOT EXISTS (SELECT 1 FROM sb) ORDER BY 1;
SELECT * FROM sa WHERE y::int8 IN (SELECT z / 10 FROM sb) ORDER BY 1;
SELECT x, x IN (SELECT x FROM sb) FROM sa ORDER BY 1;
SELECT x, x IN (SELECT z FROM sb WHERE false) FROM sa ORDER BY 1;
SELECT x, y FROM sa WHERE y IN (SELECT x FROM sb) OR x IS NULL ORDER BY 1;
SELECT x FROM sa WHERE EXISTS (SELECT 1 FROM sb WHERE sb.x = sa.x) OR sa.y = 2 ORDER BY 1;
SELECT count(*) FROM sa LEFT JOIN sa a2 ON (sa.x = a2.x AND EXISTS (SELECT 1 FROM sb WHERE sb.x = a2.y));
SELECT (SELECT count(*) FROM sa WHERE EXISTS (SELECT 1 FROM sb WHERE sb.x = sa.x AND sb.z = t.v))
  FROM (VALUES (10), (30)) t(v);
-- join names: nested USING, join aliases, USING ... AS
CREATE TABLE tt2 (a int, b int, c int);
CREATE TABLE tt3 (b int, c int, d int);
CREATE TABLE tt4 (b int, e int);
INSERT INTO tt2 VALUES (1,2,3),(4,5,6);
INSERT INTO tt3 VALUES (2,3,7),(5,9,9);
INSERT INTO tt4 VALUES (2,10),(7,11);
SELECT * FROM tt2 JOIN tt3 USING (b, c) JOIN tt4 USING (b);
SELECT * FROM (tt2 JOIN tt3 USING (b, c)) AS x JOIN tt4 USING (b);
SELECT x.b, x.a FROM (tt2 JOIN tt3 USING (b, c)) AS x;
SELECT tt2.a FROM (tt2 JOIN tt3 USING (b, c)) AS x;
SELECT * FROM tt2 JOIN tt3 USING (b) AS u WHERE u.b = 2;
SELECT u.* FROM tt2 JOIN tt3 USING (b) AS u ORDER BY 1;
SELECT * FROM tt2 FULL JOIN tt3 USING (b) ORDER BY 1;
SELECT b, tt2.b, tt3.b FROM tt2 LEFT JOIN tt3 USING (b) ORDER BY 1;
SELECT * FROM tt2 NATURAL JOIN tt3 NATURAL JOIN tt4;
SELECT tt2 FROM tt2 JOIN tt3 USING (b) ORDER BY 1;
SELECT x FROM (tt2 JOIN tt3 USING (b)) x ORDER BY 1;
SELECT * FROM (tt2 JOIN tt3 USING (b)) x(p, q, r) ORDER BY 1;
SELECT a FROM (SELECT 1 AS a);
SELECT * FROM tt2 JOIN tt3 USING (b, b);
SELECT * FROM (tt2 CROSS JOIN tt2 t) JOIN tt3 USING (b);
SELECT k FROM (SELECT 1 AS k, 2 AS k) s;
-- recursive unions that may not be ordered, limited or locked
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM x ORDER BY 1) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM x LIMIT 10 OFFSET 1) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM x LIMIT 10) SELECT * FROM x;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM x FOR UPDATE) SELECT * FROM x;
-- duplicate names inside an aliased join, LATERAL reach
CREATE TABLE i8 (q1 int8, q2 int8);
CREATE TABLE i4 (f1 int);
INSERT INTO i8 VALUES (1, 2), (2, 3);
INSERT INTO i4 VALUES (1), (2), (3);
SELECT * FROM i8 x JOIN (i4 x CROSS JOIN i4 y) j ON q1 = f1;
SELECT * FROM i8 x JOIN (i4 x CROSS JOIN i4 y) j ON q1 = y.f1;
SELECT * FROM i8 x JOIN (i4 x CROSS JOIN i4 y(ff)) j ON q1 = f1 ORDER BY 1, 2, 3, 4;
SELECT * FROM i4 a JOIN i4 a ON true;
SELECT f1, g FROM i4 a, (SELECT a.f1 AS g) ss;
SELECT f1, g FROM i4 a RIGHT JOIN LATERAL generate_series(0, a.f1) g ON true;
SELECT * FROM i4 a FULL JOIN LATERAL (SELECT a.f1) g ON true;
SELECT * FROM i4 a, LATERAL (SELECT a.*) ss ORDER BY 1;
SELECT * FROM i4 t1, LATERAL (SELECT ss1.* FROM i4 t3 LIMIT 1) AS ss2;
SELECT count(*) FROM i4 a, i4 b JOIN LATERAL (VALUES (a.f1)) ss(x) ON b.f1 = ss.x;
SELECT * FROM i4 a, i4 b JOIN LATERAL (VALUES (a.f1), (-1)) ss(x) ON b.f1 = ss.x ORDER BY 1, 2, 3;
SELECT * FROM i4 a, i4 x LEFT JOIN LATERAL (SELECT a.f1 FROM i4 y) ss(z) ON x.f1 = ss.z
  ORDER BY 1, 2, 3;
select '42' union all select 43;
select 43 union all select '42';
select '42' union select '43';
select 'a' union (select 1 union select 2);
select x from (select '1' as x union all select 2) s;
select '1' union all select '2' union all select 3;
select 1 union all select '2' union all select 3.5;
select * from (select 'a' union select 'b') s order by 1;
(select '1' limit 1) union all select 2;
-- a lateral join after a comma item runs once per row of what comes before it
CREATE TABLE tk (unique1 int, unique2 int);
INSERT INTO tk SELECT g, 3001 - g FROM generate_series(1, 3000) g;
SELECT count(*) FROM tk a, tk b JOIN LATERAL (VALUES (a.unique1)) ss(x) ON b.unique2 = ss.x;
SELECT count(*) FROM tk a, tk b JOIN LATERAL (VALUES (a.unique1), (-1)) ss(x) ON b.unique2 = ss.x;
SELECT count(*) FROM tk a, tk b JOIN LATERAL (SELECT b.unique1 + a.unique1 AS x) ss ON ss.x = 5
  WHERE a.unique1 < 10;
