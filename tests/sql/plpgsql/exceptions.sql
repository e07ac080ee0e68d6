-- EXCEPTION blocks: subtransactions, conditions, SQLSTATE/SQLERRM, re-raise, stacked diagnostics
CREATE TABLE log (msg text);

DO $$
BEGIN
  INSERT INTO log VALUES ('kept');
  BEGIN
    INSERT INTO log VALUES ('rolled back');
    PERFORM 1 / 0;
  EXCEPTION WHEN division_by_zero THEN
    RAISE NOTICE 'caught: % %', SQLSTATE, SQLERRM;
  END;
END $$;
SELECT * FROM log;

DO $$
DECLARE v int := 1;
BEGIN
  BEGIN
    v := 2;
    RAISE EXCEPTION 'custom' USING ERRCODE = '22012';
  EXCEPTION
    WHEN unique_violation OR not_null_violation THEN RAISE NOTICE 'wrong handler';
    WHEN SQLSTATE '22012' THEN RAISE NOTICE 'by sqlstate, v=%', v;
  END;
END $$;

DO $$
BEGIN
  BEGIN
    INSERT INTO log VALUES (NULL::text || repeat('x', 3));
    RAISE EXCEPTION 'my error' USING DETAIL = 'det', HINT = 'hin';
  EXCEPTION WHEN OTHERS THEN
    DECLARE m text; d text; h text; s text;
    BEGIN
      GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT,
                              s = RETURNED_SQLSTATE;
      RAISE NOTICE '% / % / % / %', m, d, h, s;
    END;
  END;
END $$;

DO $$
BEGIN
  BEGIN
    PERFORM 1 / 0;
  EXCEPTION WHEN data_exception THEN
    RAISE NOTICE 'class match: %', SQLSTATE;
  END;
END $$;

DO $$
BEGIN
  BEGIN
    RAISE EXCEPTION 'first';
  EXCEPTION WHEN OTHERS THEN
    RAISE;
  END;
END $$;

DO $$
BEGIN
  BEGIN
    PERFORM 1 / 0;
  EXCEPTION WHEN unique_violation THEN
    RAISE NOTICE 'not reached';
  END;
END $$;

DO $$ BEGIN RAISE; END $$;
DO $$ DECLARE t text; BEGIN GET STACKED DIAGNOSTICS t = MESSAGE_TEXT; END $$;

BEGIN;
DO $$
BEGIN
  FOR i IN 1..3 LOOP
    BEGIN
      INSERT INTO log VALUES ('loop ' || i);
      IF i = 2 THEN RAISE EXCEPTION 'skip %', i; END IF;
    EXCEPTION WHEN raise_exception THEN
      RAISE NOTICE 'skipped %', i;
    END;
  END LOOP;
END $$;
SELECT * FROM log ORDER BY msg;
ROLLBACK;
