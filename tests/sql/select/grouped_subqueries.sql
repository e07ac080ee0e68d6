-- correlated subqueries in grouped queries read the grouped row; upper-level aggregates
CREATE TABLE gs (dept int, v int);
INSERT INTO gs VALUES (1, 10), (1, 20), (2, 5);
SELECT dept, (SELECT count(*) FROM gs g2 WHERE g2.dept = gs.dept) FROM gs GROUP BY dept ORDER BY 1;
SELECT dept, sum(v), (SELECT max(v) FROM gs g2 WHERE g2.dept = gs.dept) FROM gs GROUP BY dept ORDER BY 1;
SELECT dept, (SELECT gs.v) FROM gs GROUP BY dept;
SELECT dept FROM gs WHERE EXISTS (SELECT 1 FROM gs g2 WHERE g2.v = gs.v) GROUP BY dept ORDER BY 1;
SELECT sum(v) FROM gs HAVING EXISTS (SELECT 1 WHERE max(gs.v) > 3);
SELECT (SELECT max(gs.v)) FROM gs;
SELECT (SELECT max(gs.v) FROM generate_series(1, 3)) FROM gs;
SELECT 1 FROM gs a, LATERAL (SELECT max(a.v) FROM gs b) ss;
SELECT * FROM gs WHERE v = (SELECT max(gs.v));
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), mode() WITHIN GROUP (ORDER BY dept),
       rank(10) WITHIN GROUP (ORDER BY v DESC) FROM gs;
SELECT sum(v) WITHIN GROUP (ORDER BY v) FROM gs;
