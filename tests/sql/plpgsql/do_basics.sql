-- DO blocks: declarations, assignment, control structures, RAISE
DO $$
DECLARE
  i int := 1;
  t text DEFAULT 'x';
  c CONSTANT numeric := 2.5;
  n int NOT NULL := 0;
  a int[] := ARRAY[1, 2, 3];
BEGIN
  RAISE NOTICE 'i=% t=% c=% n=% a=%', i, t, c, n, a;
  i := i + 10;
  t = t || 'y';
  a[5] := 9;
  RAISE NOTICE 'i=% t=% a=%', i, t, a;
END $$;

DO $$
DECLARE x int := 5;
BEGIN
  IF x > 10 THEN RAISE NOTICE 'big';
  ELSIF x > 3 THEN RAISE NOTICE 'medium';
  ELSE RAISE NOTICE 'small';
  END IF;
  CASE x WHEN 1, 2 THEN RAISE NOTICE 'one or two';
         WHEN 5 THEN RAISE NOTICE 'five';
  END CASE;
  CASE WHEN x < 0 THEN RAISE NOTICE 'neg'; ELSE RAISE NOTICE 'not neg'; END CASE;
END $$;

DO $$
DECLARE i int := 0; s int := 0;
BEGIN
  LOOP
    i := i + 1;
    CONTINUE WHEN i % 2 = 0;
    EXIT WHEN i > 7;
    s := s + i;
  END LOOP;
  RAISE NOTICE 's=%', s;
  WHILE i > 0 LOOP i := i - 3; END LOOP;
  RAISE NOTICE 'i=%', i;
  FOR k IN 1..10 BY 4 LOOP RAISE NOTICE 'k=%', k; END LOOP;
  FOR k IN REVERSE 3..1 LOOP RAISE NOTICE 'rev k=%', k; END LOOP;
  <<outer>>
  FOR a IN 1..3 LOOP
    FOR b IN 1..3 LOOP
      CONTINUE outer WHEN b > a;
      EXIT outer WHEN a = 3;
      RAISE NOTICE 'a=% b=%', a, b;
    END LOOP;
  END LOOP outer;
END $$;

DO $$
DECLARE x int[]; m int[] := ARRAY[[1,2],[3,4]]; e int;
BEGIN
  FOREACH e IN ARRAY m LOOP RAISE NOTICE 'e=%', e; END LOOP;
  FOREACH x SLICE 1 IN ARRAY m LOOP RAISE NOTICE 'row=%', x; END LOOP;
END $$;

DO $$
<<blk>>
DECLARE v text := 'outer';
BEGIN
  DECLARE v text := 'inner';
  BEGIN
    RAISE NOTICE '% %', v, blk.v;
  END;
END blk $$;

DO $$ BEGIN RAISE NOTICE '100%% done, % left', NULL; END $$;
DO $$ BEGIN RAISE WARNING 'careful'; RAISE INFO 'info'; RAISE LOG 'log'; END $$;
DO $$ BEGIN RAISE EXCEPTION 'boom % %', 1, 'two' USING DETAIL = 'some detail', HINT = 'a hint'; END $$;
DO $$ BEGIN RAISE division_by_zero; END $$;
DO $$ BEGIN RAISE SQLSTATE '22P02' USING MESSAGE = 'bad input'; END $$;
DO $$ BEGIN RAISE USING MESSAGE = 'only using', ERRCODE = 'unique_violation'; END $$;
DO $$ BEGIN ASSERT 1 + 1 = 3, 'math is broken'; END $$;
DO $$ BEGIN ASSERT false; END $$;
DO $$ BEGIN NULL; END $$;
DO LANGUAGE plpgsql $$ BEGIN RAISE NOTICE 'explicit language'; END $$;
