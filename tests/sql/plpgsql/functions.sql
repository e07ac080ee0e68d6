-- LANGUAGE plpgsql functions and procedures
CREATE FUNCTION add1(a int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN a + 1;
END $$;
SELECT add1(41), add1(NULL);

CREATE FUNCTION fact(n int) RETURNS numeric LANGUAGE plpgsql STRICT AS $$
BEGIN
  IF n <= 1 THEN RETURN 1; END IF;
  RETURN n * fact(n - 1);
END $$;
SELECT fact(20), fact(NULL);

CREATE FUNCTION series(n int) RETURNS SETOF int LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    RETURN NEXT i * i;
  END LOOP;
  RETURN QUERY SELECT -1 UNION ALL SELECT -2;
END $$;
SELECT * FROM series(4);

CREATE FUNCTION pairs(n int) RETURNS TABLE (k int, v text) LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    k := i;
    v := repeat('*', i);
    RETURN NEXT;
  END LOOP;
END $$;
SELECT * FROM pairs(3);

CREATE FUNCTION divmod(a int, b int, OUT q int, OUT r int) LANGUAGE plpgsql AS $$
BEGIN
  q := a / b;
  r := a % b;
END $$;
SELECT * FROM divmod(17, 5);
SELECT divmod(17, 5);

CREATE TYPE pt AS (x int, y int);
CREATE FUNCTION mkpt(a int) RETURNS pt LANGUAGE plpgsql AS $$
DECLARE p pt;
BEGIN
  p.x := a;
  p.y := a * 2;
  RETURN p;
END $$;
SELECT mkpt(3), (mkpt(4)).y;

CREATE FUNCTION ident(v anyelement) RETURNS anyelement LANGUAGE plpgsql AS $$
BEGIN
  RETURN v;
END $$;
SELECT ident(5), ident('txt'::text);

CREATE FUNCTION noret() RETURNS int LANGUAGE plpgsql AS $$ BEGIN END $$;
SELECT noret();

CREATE FUNCTION divz(a int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN a / 0;
END $$;
SELECT divz(1);

CREATE TABLE t (a int);
CREATE PROCEDURE ins(v int) LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO t VALUES (v);
END $$;
CALL ins(7);
SELECT * FROM t;
CREATE PROCEDURE triple(INOUT v int) LANGUAGE plpgsql AS $$
BEGIN
  v := v * 3;
END $$;
CALL triple(5);

-- compile-time errors point into the body
CREATE FUNCTION bad1() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  x := 1;
END $$;
CREATE FUNCTION bad2() RETURNS int LANGUAGE plpgsql AS $$
DECLARE x nosuchtype;
BEGIN
  RETURN 1;
END $$;
CREATE FUNCTION bad3() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  foo bar;
END $$;
CREATE FUNCTION bad4() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END $$;
CREATE FUNCTION bad5() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  IF true THEN RETURN 1;
END $$;
CREATE FUNCTION bad6() RETURNS SETOF int LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END $$;
