-- PL/pgSQL cursors: bound and unbound, OPEN/FETCH/MOVE/CLOSE, FOR over a cursor,
-- refcursor results, WHERE CURRENT OF a cursor variable
CREATE TABLE ct (i int, j int);
INSERT INTO ct SELECT g, g * 10 FROM generate_series(1, 5) g;

DO $$
DECLARE
  c SCROLL CURSOR FOR SELECT i FROM ct ORDER BY i;
  x int;
BEGIN
  OPEN c;
  FETCH LAST FROM c INTO x;   RAISE NOTICE 'last %', x;
  FETCH PRIOR FROM c INTO x;  RAISE NOTICE 'prior %', x;
  FETCH FIRST FROM c INTO x;  RAISE NOTICE 'first %', x;
  FETCH ABSOLUTE 3 FROM c INTO x; RAISE NOTICE 'absolute 3 %', x;
  MOVE FORWARD 1 FROM c;
  FETCH c INTO x;             RAISE NOTICE 'after move %', x;
  FETCH RELATIVE -2 FROM c INTO x; RAISE NOTICE 'relative -2 %', x;
  FETCH NEXT FROM c INTO x;   RAISE NOTICE 'next %, found %', x, found;
  MOVE ABSOLUTE 10 FROM c;    RAISE NOTICE 'moved past end, found %', found;
  CLOSE c;
END $$;

DO $$
DECLARE
  c CURSOR (lo int, hi int) FOR SELECT i, j FROM ct WHERE i BETWEEN lo AND hi ORDER BY i;
  r record;
BEGIN
  OPEN c(2, 3);
  LOOP
    FETCH c INTO r;
    EXIT WHEN NOT found;
    RAISE NOTICE 'row % %', r.i, r.j;
  END LOOP;
  CLOSE c;
  FOR rr IN c(hi := 5, lo := 4) LOOP
    RAISE NOTICE 'for row %', rr.i;
  END LOOP;
END $$;

DO $$
DECLARE c refcursor; v int;
BEGIN
  OPEN c FOR EXECUTE 'SELECT j FROM ct WHERE i = $1' USING 4;
  FETCH c INTO v;
  RAISE NOTICE 'dynamic %, portal %', v, c;
  CLOSE c;
END $$;

CREATE FUNCTION open_it() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c refcursor := 'my_portal';
BEGIN
  OPEN c FOR SELECT i, j FROM ct WHERE i <= 2 ORDER BY i;
  RETURN c;
END $$;
BEGIN;
SELECT open_it();
FETCH ALL FROM my_portal;
COMMIT;

CREATE FUNCTION bump() RETURNS void LANGUAGE plpgsql AS $$
DECLARE c CURSOR FOR SELECT * FROM ct;
BEGIN
  FOR r IN c LOOP
    UPDATE ct SET j = j + 1 WHERE CURRENT OF c;
  END LOOP;
END $$;
SELECT bump();
SELECT * FROM ct ORDER BY i;

DO $$ DECLARE c refcursor; x int; BEGIN FETCH c INTO x; END $$;
DO $$ DECLARE c refcursor := 'nope'; x int; BEGIN FETCH c INTO x; END $$;
DO $$ DECLARE c CURSOR FOR SELECT 1; BEGIN OPEN c; OPEN c; END $$;
DO $$ DECLARE c NO SCROLL CURSOR FOR SELECT 1; x int; BEGIN OPEN c; FETCH LAST FROM c INTO x; END $$;
DO $$ DECLARE c CURSOR (a int) FOR SELECT a; BEGIN OPEN c; END $$;
DO $$ DECLARE c refcursor; BEGIN FOR r IN c LOOP END LOOP; END $$;
DO $$ DECLARE c refcursor; BEGIN OPEN c FOR INSERT INTO ct VALUES (0, 0); END $$;
