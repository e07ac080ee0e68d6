-- SIMILAR TO: the grammar turns it into ~ / !~ over similar_to_escape()
SELECT 'abc' SIMILAR TO 'a%' AS a, 'abc' NOT SIMILAR TO 'a#%' ESCAPE '#' AS b,
       'x' SIMILAR TO 'y' ESCAPE NULL AS c, NULL SIMILAR TO 'a' AS d;
SELECT 'abcd' SIMILAR TO '(a|b)%(c|d)' AS e, 'a_c' SIMILAR TO 'a\_c' AS f,
       'abc' SIMILAR TO 'a_c' AS g, 'a.c' SIMILAR TO 'a.c' AS h, 'abc' SIMILAR TO 'a.c' AS i;
SELECT relname FROM pg_class WHERE relname SIMILAR TO 'pg_(am|aggregate)' ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT * FROM pg_class WHERE relname SIMILAR TO 'pg_%';
SELECT 'abc' SIMILAR TO 'a' ESCAPE 'xy';
SELECT 'a' SIMILAR TO 1;
SELECT 1 SIMILAR TO 'a';
SELECT pg_catalog.no_such_function(1);
