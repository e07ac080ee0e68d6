-- procedures: CALL with IN/OUT/INOUT, named and default arguments, nested CALL
CREATE TABLE proc_log (a int, b text);
CREATE PROCEDURE proc_ins(x int, y text DEFAULT 'dflt')
LANGUAGE SQL AS $$ INSERT INTO proc_log VALUES (x, y); $$;
CALL proc_ins(1);
CALL proc_ins(2, 'two');
CALL proc_ins(y => 'three', x => 3);
CREATE PROCEDURE proc_outer_atomic(z int) LANGUAGE SQL
BEGIN ATOMIC
  CALL proc_ins(z, 'inner');
END;
CREATE PROCEDURE proc_outer(z int) LANGUAGE SQL
AS $$ CALL proc_ins(z, 'inner'); CALL proc_ins($1 + 1); $$;
CALL proc_outer(4);
SELECT * FROM proc_log ORDER BY a;
CREATE PROCEDURE proc_out(IN a int, OUT doubled int, INOUT c text)
LANGUAGE SQL AS $$ SELECT a * 2, c || '!' $$;
CALL proc_out(21, NULL, 'hi');
CALL proc_out(1, 1/0, 'x');
SELECT proc_ins(1);
CALL abs(1);
CALL nosuch(1);
CREATE PROCEDURE proc_bad() LANGUAGE SQL STRICT AS $$ SELECT 1 $$;
SELECT p.proname, p.prokind, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid)
FROM pg_proc p WHERE p.proname LIKE 'proc_%' ORDER BY 1;
DROP FUNCTION proc_ins(int, text);
DROP PROCEDURE proc_ins(int, text);
DROP ROUTINE proc_outer;
DROP PROCEDURE IF EXISTS proc_nosuch(int);
