-- pg_get_functiondef of a BEGIN ATOMIC body holding INSERT ... VALUES: target columns
-- listed, parameters qualified with the function name, implicit coercions unprinted
CREATE TABLE cp_test (a int, b text);
CREATE PROCEDURE ptest1s(x text) LANGUAGE SQL BEGIN ATOMIC INSERT INTO cp_test VALUES (1, x); END;
SELECT pg_get_functiondef('ptest1s'::regproc);
CREATE PROCEDURE ptest2s(x text, "Y" int) LANGUAGE SQL BEGIN ATOMIC INSERT INTO cp_test (b, a) VALUES (x || 'a', "Y" + 1); INSERT INTO cp_test VALUES (2); END;
SELECT pg_get_functiondef('ptest2s'::regproc);
CREATE TABLE cp_test2 (a bigint, b varchar(3), c numeric);
CREATE FUNCTION ptest3s(x int) RETURNS void LANGUAGE SQL BEGIN ATOMIC INSERT INTO cp_test2 VALUES (x, 'ab', 1.5); END;
SELECT pg_get_functiondef('ptest3s'::regproc);
CREATE PROCEDURE ptest5s() LANGUAGE SQL BEGIN ATOMIC END;
SELECT pg_get_functiondef('ptest5s'::regproc);
DROP PROCEDURE ptest1s, ptest2s, ptest5s;
DROP FUNCTION ptest3s;
DROP TABLE cp_test, cp_test2;
