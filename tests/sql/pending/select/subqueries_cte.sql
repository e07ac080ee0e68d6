-- subqueries and WITH: scalar, IN/EXISTS/ANY/ALL, correlated, CTEs, errors
CREATE TABLE p (id int, cat text, price int);
INSERT INTO p VALUES (1, 'a', 10), (2, 'a', 20), (3, 'b', 5), (4, 'c', NULL);
SELECT id, (SELECT max(price) FROM p) AS top FROM p ORDER BY id;
SELECT id FROM p WHERE price > (SELECT avg(price) FROM p) ORDER BY id;
SELECT (SELECT id FROM p WHERE cat = 'a');
SELECT (SELECT id FROM p WHERE cat = 'zzz') IS NULL;
SELECT (SELECT id, cat FROM p LIMIT 1);
SELECT id FROM p WHERE price = ANY (SELECT price FROM p WHERE cat = 'a') ORDER BY id;
SELECT id FROM p WHERE price > ALL (SELECT price FROM p WHERE cat <> 'a') ORDER BY id;
SELECT id FROM p WHERE price >= ALL (SELECT price FROM p WHERE price IS NOT NULL) ORDER BY id;
SELECT id, price FROM p o WHERE price = (SELECT max(price) FROM p i WHERE i.cat = o.cat) ORDER BY id;
SELECT cat, EXISTS (SELECT 1 FROM p i WHERE i.cat = o.cat AND i.price > 15) FROM p o GROUP BY cat ORDER BY cat;
SELECT id FROM p WHERE id NOT IN (SELECT price FROM p) ORDER BY id;
SELECT id FROM p WHERE id NOT IN (SELECT price FROM p WHERE price IS NOT NULL) ORDER BY id;
SELECT * FROM (SELECT cat, sum(price) AS total FROM p GROUP BY cat) s WHERE total > 6 ORDER BY cat;
SELECT * FROM (SELECT 1) AS one;
WITH totals AS (SELECT cat, sum(price) AS total FROM p GROUP BY cat)
SELECT cat, total FROM totals WHERE total IS NOT NULL ORDER BY total DESC;
WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM a, b;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT sum(i), count(*) FROM n;
WITH RECURSIVE fib(a, b) AS (SELECT 0, 1 UNION ALL SELECT b, a + b FROM fib WHERE b < 50) SELECT a FROM fib;
WITH del AS (DELETE FROM p WHERE cat = 'c' RETURNING id) SELECT count(*) FROM del;
SELECT count(*) FROM p;
WITH x AS (SELECT 1) SELECT * FROM y;
SELECT * FROM p WHERE id IN (SELECT id, cat FROM p);
SELECT id, (SELECT count(*) FROM p i WHERE i.price < o.price) AS rank_below FROM p o ORDER BY id;
