-- GROUPING SETS, ROLLUP, CUBE and GROUPING()
CREATE TABLE gs (a int, b int, v int);
INSERT INTO gs VALUES (1,1,10),(1,1,11),(1,2,12),(1,2,13),(1,3,14),(2,3,15),(3,3,16),(3,4,17),(4,1,18),(4,1,19);
SELECT a, b, grouping(a,b), sum(v), count(*), max(v) FROM gs GROUP BY ROLLUP (a,b) ORDER BY a, b;
SELECT a, b, grouping(a,b), sum(v) FROM gs GROUP BY CUBE (a,b) ORDER BY a, b;
SELECT a, b, grouping(b,a), sum(v) FROM gs GROUP BY GROUPING SETS ((a), (b), ()) ORDER BY 3, 1, 2;
SELECT a, b, count(*) FROM gs GROUP BY a, ROLLUP (b) ORDER BY a, b;
SELECT a, b, count(*) FROM gs GROUP BY DISTINCT ROLLUP (a, b), ROLLUP (a) ORDER BY a, b;
SELECT a, b, count(*) FROM gs GROUP BY ROLLUP (a, b), ROLLUP (a) ORDER BY a, b;
SELECT a, grouping(a), count(*) FROM gs GROUP BY GROUPING SETS ((a), ()) HAVING grouping(a) = 1;
SELECT count(*) FROM gs WHERE false GROUP BY GROUPING SETS ((), ());
SELECT a, count(*) FROM gs WHERE false GROUP BY ROLLUP (a);
SELECT a, b, count(*) FROM gs GROUP BY (a, b) ORDER BY 1, 2;
SELECT grouping(a), a FROM gs GROUP BY a ORDER BY a;
SELECT (SELECT grouping(a, b)) AS g, a, b FROM gs GROUP BY ROLLUP (a, b) ORDER BY a, b;
SELECT DISTINCT ON (a) a, b FROM gs GROUP BY GROUPING SETS ((a, b), (a)) ORDER BY a, b;
SELECT grouping(v) FROM gs;
SELECT a FROM gs WHERE grouping(a) = 0 GROUP BY a;
-- columns functionally dependent on a grouped primary key
CREATE TABLE fd (id int PRIMARY KEY, k text, t text);
INSERT INTO fd VALUES (1, 'a', 'x'), (2, 'a', 'y');
SELECT id, k, t FROM fd GROUP BY id ORDER BY id;
SELECT f.id, f.t, count(*) FROM fd f GROUP BY f.id ORDER BY 1;
SELECT t FROM fd GROUP BY k;
SELECT id, t, grouping(id, k) FROM fd GROUP BY GROUPING SETS ((id, k), (id)) ORDER BY 1, 3;
