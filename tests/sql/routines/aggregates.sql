-- CREATE AGGREGATE with SQL and built-in support functions
CREATE FUNCTION agg_concat(text, anyelement) RETURNS text
LANGUAGE SQL AS $$ SELECT coalesce($1 || ',', '') || $2::text $$;
CREATE AGGREGATE concat_all(anyelement) (SFUNC = agg_concat, STYPE = text);
SELECT concat_all(x) FROM generate_series(1, 4) x;
SELECT concat_all(x ORDER BY x DESC) FROM generate_series(1, 4) x;
SELECT concat_all(x) OVER (ORDER BY x) FROM generate_series(1, 3) x;
CREATE AGGREGATE mysum(int4) (SFUNC = int4pl, STYPE = int4, INITCOND = '0');
SELECT mysum(x), mysum(NULL::int) FROM generate_series(1, 10) x;
CREATE AGGREGATE firstval(anyelement) (SFUNC = array_append, STYPE = anyarray,
  FINALFUNC = array_length_one);
CREATE FUNCTION first_of(anyarray) RETURNS anyelement LANGUAGE SQL STRICT AS 'SELECT $1[1]';
CREATE AGGREGATE firstval(anyelement) (SFUNC = array_append, STYPE = anyarray,
  FINALFUNC = first_of);
SELECT firstval(x), firstval(x::text) FROM generate_series(5, 7) x;
CREATE AGGREGATE bad_agg(int4) (SFUNC = int4pl, STYPE = anyarray);
CREATE AGGREGATE newcnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
SELECT newcnt(*) FROM generate_series(1, 3);
SELECT aggtransfn, aggfinalfn, aggtranstype::regtype, agginitval
FROM pg_aggregate WHERE aggfnoid = 'mysum'::regproc;
DROP FUNCTION agg_concat(text, anyelement);
DROP FUNCTION agg_concat(text, anyelement) CASCADE;
DROP AGGREGATE mysum(int4);
DROP AGGREGATE newcnt(*);
DROP AGGREGATE IF EXISTS nosuch(int4);
