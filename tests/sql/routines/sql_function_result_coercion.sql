-- A LANGUAGE sql function's result is converted to its declared result type with
-- assignment semantics (check_sql_fn_retval): rounding, domain checks, range errors
CREATE FUNCTION rc_round() RETURNS int LANGUAGE sql AS 'SELECT 1.5::numeric';
SELECT rc_round();
CREATE FUNCTION rc_arg(numeric) RETURNS int LANGUAGE sql AS 'SELECT $1';
SELECT rc_arg(2.5), rc_arg(-2.5), rc_arg(3.4), pg_typeof(rc_arg(1));
CREATE FUNCTION rc_text() RETURNS int LANGUAGE sql AS 'SELECT ''x''::text';
CREATE FUNCTION rc_unknown() RETURNS int LANGUAGE sql AS 'SELECT ''12''';
CREATE FUNCTION rc_lit() RETURNS text LANGUAGE sql AS 'SELECT ''abc''';
SELECT rc_lit(), pg_typeof(rc_lit());
CREATE FUNCTION rc_int_text() RETURNS text LANGUAGE sql AS 'SELECT 42';
SELECT rc_int_text(), pg_typeof(rc_int_text());
CREATE FUNCTION rc_bigint() RETURNS bigint LANGUAGE sql AS 'SELECT 42';
SELECT rc_bigint(), pg_typeof(rc_bigint());
CREATE FUNCTION rc_float() RETURNS float8 LANGUAGE sql AS 'SELECT 1.1::numeric';
SELECT rc_float(), pg_typeof(rc_float());
-- the declared result has no typmod: varchar(3), numeric(5,1) do not cut or round
CREATE FUNCTION rc_varchar() RETURNS varchar(3) LANGUAGE sql AS 'SELECT ''abcdef''::text';
SELECT rc_varchar(), pg_typeof(rc_varchar());
CREATE FUNCTION rc_numeric() RETURNS numeric(5,1) LANGUAGE sql AS 'SELECT 1.26';
SELECT rc_numeric();
CREATE FUNCTION rc_char() RETURNS char(5) LANGUAGE sql AS 'SELECT ''ab''::text';
SELECT rc_char() || '|';
CREATE FUNCTION rc_bpchar() RETURNS bpchar LANGUAGE sql AS 'SELECT ''ab  ''::text';
SELECT rc_bpchar() || '|', length(rc_bpchar());
CREATE FUNCTION rc_from_char() RETURNS text LANGUAGE sql AS 'SELECT ''ab''::char(5)';
SELECT rc_from_char() || '|';
CREATE FUNCTION rc_array() RETURNS int[] LANGUAGE sql AS 'SELECT ARRAY[1.5, 2.5]';
SELECT rc_array();
-- out of range at run time, in the function's statement
CREATE FUNCTION rc_range() RETURNS int LANGUAGE sql AS 'SELECT x FROM (VALUES (1e20)) v(x)';
SELECT rc_range();
-- domains: the value is rounded, then its constraints hold
CREATE DOMAIN rc_posint AS int CHECK (VALUE > 0);
CREATE FUNCTION rc_dom(numeric) RETURNS rc_posint LANGUAGE sql AS 'SELECT $1';
SELECT rc_dom(2.7);
SELECT rc_dom(0.2);
CREATE FUNCTION rc_dom_set() RETURNS SETOF rc_posint LANGUAGE sql
  AS 'SELECT x FROM (VALUES (1.4),(0.2)) v(x)';
SELECT * FROM rc_dom_set();
-- SETOF
CREATE FUNCTION rc_set() RETURNS SETOF int LANGUAGE sql
  AS 'SELECT x FROM (VALUES (1.4),(1.6),(2.5)) v(x)';
SELECT * FROM rc_set();
SELECT rc_set();
CREATE FUNCTION rc_set_range() RETURNS SETOF int LANGUAGE sql
  AS 'SELECT x FROM (VALUES (1.4),(1e20)) v(x)';
SELECT * FROM rc_set_range();
-- RETURN and BEGIN ATOMIC bodies, UNION, RETURNING
CREATE FUNCTION rc_return() RETURNS int LANGUAGE sql RETURN 1.5;
SELECT rc_return();
CREATE FUNCTION rc_atomic() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 2.5::numeric; END;
SELECT rc_atomic();
CREATE FUNCTION rc_union() RETURNS int LANGUAGE sql AS 'SELECT 1.5 UNION ALL SELECT 2.5';
SELECT rc_union();
CREATE TABLE rc_t (x numeric);
CREATE FUNCTION rc_returning() RETURNS int LANGUAGE sql
  AS 'INSERT INTO rc_t VALUES (7.5) RETURNING x';
SELECT rc_returning();
-- a body planned as it runs (utility statements)
SET check_function_bodies = off;
CREATE FUNCTION rc_utility() RETURNS int LANGUAGE sql
  AS $$ CREATE TEMP TABLE rc_tt (x numeric); INSERT INTO rc_tt VALUES (4.5); SELECT x FROM rc_tt $$;
RESET check_function_bodies;
SELECT rc_utility();
-- composite results: each column to its column's type (with its typmod)
CREATE TYPE rc_pair AS (a int, b text);
CREATE FUNCTION rc_comp() RETURNS rc_pair LANGUAGE sql AS 'SELECT 2.6::numeric, ''q''::varchar';
SELECT rc_comp();
SELECT * FROM rc_comp();
CREATE FUNCTION rc_comp_int_text() RETURNS rc_pair LANGUAGE sql AS 'SELECT 2.6::numeric, 42';
SELECT * FROM rc_comp_int_text();
CREATE FUNCTION rc_comp_bad() RETURNS rc_pair LANGUAGE sql AS 'SELECT ''x''::text, ''y''::text';
CREATE FUNCTION rc_comp_row() RETURNS rc_pair LANGUAGE sql AS 'SELECT ROW(1.5, 2)';
SELECT rc_comp_row();
CREATE FUNCTION rc_comp_set() RETURNS SETOF rc_pair LANGUAGE sql
  AS 'SELECT x, ''q''::varchar FROM (VALUES (1.4),(1.6)) v(x)';
SELECT * FROM rc_comp_set();
CREATE TYPE rc_vp AS (a varchar(2), b numeric(4,1));
CREATE FUNCTION rc_vp_long() RETURNS rc_vp LANGUAGE sql AS 'SELECT ''xyz''::text, 1.26';
SELECT rc_vp_long();
CREATE FUNCTION rc_vp_big() RETURNS rc_vp LANGUAGE sql AS 'SELECT ''xy''::text, 123456.26';
SELECT rc_vp_big();
CREATE FUNCTION rc_vp_ok() RETURNS rc_vp LANGUAGE sql AS 'SELECT ''x''::text, 1.26';
SELECT rc_vp_ok(), (rc_vp_ok()).b;
SELECT * FROM rc_vp_ok();
CREATE FUNCTION rc_vp_set(int) RETURNS SETOF rc_vp LANGUAGE sql
  AS 'SELECT g::text, g + 0.06 FROM generate_series(1, $1) g';
SELECT * FROM rc_vp_set(3);
CREATE TYPE rc_dpair AS (a rc_posint, b text);
CREATE FUNCTION rc_dpair() RETURNS rc_dpair LANGUAGE sql AS 'SELECT 0.3, 1';
SELECT rc_dpair();
-- OUT parameters and RETURNS TABLE
CREATE FUNCTION rc_out(OUT a int, OUT b varchar(2)) LANGUAGE sql AS 'SELECT 3.5, ''xyz''::text';
SELECT * FROM rc_out();
SELECT rc_out();
CREATE FUNCTION rc_out1(OUT a int) LANGUAGE sql AS 'SELECT 3.5';
SELECT rc_out1();
CREATE FUNCTION rc_out_bad(OUT a int, OUT b int) LANGUAGE sql AS 'SELECT 1, ''y''::text';
CREATE FUNCTION rc_out_set(x numeric, OUT a int, OUT b int) RETURNS SETOF record
  LANGUAGE sql AS 'SELECT $1, $1 * 2';
SELECT * FROM rc_out_set(1.3);
CREATE FUNCTION rc_out_union(OUT a int, OUT b int) RETURNS SETOF record LANGUAGE sql
  AS 'SELECT 1.5, 2.5 UNION ALL SELECT 3.5, 4.5';
SELECT * FROM rc_out_union();
SELECT rc_out_union();
CREATE FUNCTION rc_table() RETURNS TABLE (a int, b text) LANGUAGE sql AS 'SELECT 1.5, ''b''::varchar';
SELECT * FROM rc_table();
CREATE FUNCTION rc_table_bad() RETURNS TABLE (a int) LANGUAGE sql AS 'SELECT ''z''::text';
-- polymorphic results keep the body's type; other columns are converted
CREATE FUNCTION rc_poly(anyelement) RETURNS anyelement LANGUAGE sql AS 'SELECT $1';
SELECT rc_poly(1.5), rc_poly(2);
CREATE FUNCTION rc_poly_arr(anyelement) RETURNS anyarray LANGUAGE sql AS 'SELECT ARRAY[$1]';
SELECT rc_poly_arr(1.5);
CREATE FUNCTION rc_poly_out(anyelement, OUT a int, OUT b anyelement) LANGUAGE sql
  AS 'SELECT 1.7, $1';
SELECT * FROM rc_poly_out('x'::text);
CREATE FUNCTION rc_poly_table(x anyelement) RETURNS TABLE (a int, b anyelement) LANGUAGE sql
  AS 'SELECT 2.5, x';
SELECT * FROM rc_poly_table(1.25);
