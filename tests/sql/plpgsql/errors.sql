-- run-time errors and their CONTEXT lines
DO $$ DECLARE x int; BEGIN x := 1/0; END $$;
DO $$ DECLARE x int; BEGIN x := 'abc'; END $$;
DO $$ DECLARE x int; BEGIN x := 1, 2; END $$;
DO $$ DECLARE x int NOT NULL := 1; BEGIN x := NULL; END $$;
DO $$ DECLARE r record; BEGIN RAISE NOTICE '%', r.f; END $$;
DO $$ DECLARE r record; BEGIN SELECT 1 AS a INTO r; RAISE NOTICE '%', r.b; END $$;
DO $$ DECLARE x int; BEGIN IF 1/0 = 1 THEN NULL; END IF; END $$;
DO $$ BEGIN FOR i IN 1..NULL LOOP END LOOP; END $$;
DO $$ BEGIN FOR i IN 1..3 BY 0 LOOP END LOOP; END $$;
DO $$ BEGIN CASE 3 WHEN 1 THEN NULL; END CASE; END $$;
DO $$ DECLARE x int; y int; BEGIN SELECT 1 INTO x, z; END $$;
DO $$ DECLARE x int; BEGIN x = (1; END $$;
DO $$ DECLARE x int; BEGIN x := 1 END $$;
DO $$ DECLARE x int; x int; BEGIN END $$;
DO $$ DECLARE x int NOT NULL; BEGIN END $$;
DO $$ BEGIN EXIT; END $$;
DO $$ BEGIN RAISE NOTICE '% %', 1; END $$;
DO $$ BEGIN RAISE NOTICE '%', 1, 2; END $$;
DO $$ BEGIN RAISE EXCEPTION USING MESSAGE = 'm', MESSAGE = 'n'; END $$;
DO $$ DECLARE x int; BEGIN EXECUTE NULL; END $$;
DO $$ BEGIN RAISE nosuch_condition; END $$;
CREATE FUNCTION inner_f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'from inner';
END $$;
CREATE FUNCTION outer_f() RETURNS int LANGUAGE plpgsql AS $$
DECLARE v int;
BEGIN
  v := inner_f();
  RETURN v;
END $$;
SELECT outer_f();
DO $$ BEGIN PERFORM outer_f(); END $$;
