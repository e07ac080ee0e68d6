-- operators whose function returns a set are set-returning themselves
CREATE OPERATOR |@| (PROCEDURE = unnest, RIGHTARG = ANYARRAY);
SELECT |@|ARRAY[1,2,3];
SELECT |@|ARRAY[1,2], 5 AS k;
SELECT * FROM (SELECT |@|ARRAY[1,2,3] AS x) s WHERE x > 1;
CREATE FUNCTION srfop_range(int, int) RETURNS SETOF int LANGUAGE sql
  AS 'SELECT generate_series($1, $2)';
CREATE OPERATOR ### (PROCEDURE = srfop_range, LEFTARG = int, RIGHTARG = int);
SELECT 1 ### 3 AS g;
SELECT 2 ### 3 AS a, |@|ARRAY['x','y','z'] AS b;
SELECT 1 WHERE 1 ### 2 > 0;
