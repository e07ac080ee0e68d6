-- a routine's or operator's signature names a missing type: no cursor position
-- (there is no parse state); DROP ... IF EXISTS names the type or schema instead
DROP FUNCTION nonesuchf(nonesuch);
DROP FUNCTION nonesuchf(int, nonesuch[]);
DROP FUNCTION nonesuchf(nosch.nonesuch);
DROP AGGREGATE newcnt (nonesuch);
DROP PROCEDURE nonesuchp(nonesuch);
DROP ROUTINE nonesuchp(nonesuch);
DROP OPERATOR = (nonesuch, int4);
DROP OPERATOR = (int4, nonesuch);
COMMENT ON FUNCTION abs(nonesuch) IS 'x';
COMMENT ON OPERATOR = (nonesuch, int) IS 'x';
COMMENT ON AGGREGATE max (nonesuch) IS 'x';
ALTER FUNCTION abs(nonesuch) OWNER TO CURRENT_USER;
CREATE OPERATOR === (LEFTARG = nonesuch, RIGHTARG = int, FUNCTION = int4eq);
DROP FUNCTION IF EXISTS nonesuchf(nonesuch);
DROP FUNCTION IF EXISTS nonesuchf(int, nonesuch[]);
DROP FUNCTION IF EXISTS nonesuchf(int, pg_catalog.nonesuch);
DROP FUNCTION IF EXISTS nonesuchf(nosch.nonesuch);
DROP FUNCTION IF EXISTS nosch.nonesuchf(int);
DROP FUNCTION IF EXISTS nonesuchf(int);
DROP ROUTINE IF EXISTS nonesuchf(int, nonesuch);
DROP AGGREGATE IF EXISTS newcnt (nonesuch);
DROP AGGREGATE IF EXISTS newcnt (int);
DROP OPERATOR IF EXISTS = (nonesuch, int4);
DROP OPERATOR IF EXISTS = (nosch.nonesuch, int4);
DROP OPERATOR IF EXISTS === (int4, int4);
SELECT NULL::nonesuch[];
SELECT NULL::pg_catalog.nonesuch;
