-- CREATE / ALTER / DROP OPERATOR
CREATE FUNCTION op_fuzzy_eq(int4, int4) RETURNS bool LANGUAGE SQL
AS 'SELECT abs($1 - $2) <= 1';
CREATE OPERATOR ~=~ (LEFTARG = int4, RIGHTARG = int4, PROCEDURE = op_fuzzy_eq,
  COMMUTATOR = ~=~, NEGATOR = !~=~, RESTRICT = eqsel, JOIN = eqjoinsel);
SELECT 3 ~=~ 4, 3 ~=~ 5;
SELECT x FROM generate_series(1, 5) x WHERE x ~=~ 3 ORDER BY x;
SELECT oprname, oprkind, oprleft::regtype, oprright::regtype, oprresult::regtype,
  oprcode, oprrest, oprjoin, oprcom <> 0 AS has_com, oprnegate <> 0 AS has_neg
FROM pg_operator WHERE oprname IN ('~=~', '!~=~') ORDER BY oprname;
CREATE OPERATOR @@@ (RIGHTARG = int8, PROCEDURE = factorial);
SELECT @@@ 5;
CREATE OPERATOR @@@ (LEFTARG = int8, PROCEDURE = factorial);
CREATE OPERATOR ~=~ (LEFTARG = int4, RIGHTARG = int4, PROCEDURE = op_fuzzy_eq);
CREATE OPERATOR %%% (LEFTARG = int4, RIGHTARG = int4, PROCEDURE = int4eq, NEGATOR = %%%);
CREATE OPERATOR %%% (LEFTARG = int4, RIGHTARG = int4, PROCEDURE = int4eq, COMMUTATOR = =);
ALTER OPERATOR ~=~ (int4, int4) SET (RESTRICT = NONE, HASHES);
SELECT oprrest, oprcanhash FROM pg_operator WHERE oprname = '~=~';
SELECT '~=~(int4,int4)'::regoperator;
DROP OPERATOR ~=~ (int4, int4);
SELECT oprname, oprcom, oprnegate FROM pg_operator WHERE oprname = '!~=~';
DROP OPERATOR ~=~ (int4, int4);
DROP OPERATOR IF EXISTS ~=~ (int4, int4);
DROP OPERATOR @@@ (int8, NONE);
DROP OPERATOR @@@ (NONE, int8);
