-- a materialized view's query runs as a security-restricted operation: a WITH HOLD cursor
-- cannot outlive it (CREATE TABLE AS is not restricted)
CREATE FUNCTION mv_action() RETURNS bool LANGUAGE sql AS
	'DECLARE c CURSOR WITH HOLD FOR SELECT 1; SELECT true';
CREATE MATERIALIZED VIEW sro_mv AS SELECT mv_action() WITH NO DATA;
REFRESH MATERIALIZED VIEW sro_mv;
CREATE MATERIALIZED VIEW sro_mv2 AS SELECT mv_action();
CREATE TABLE sro_t AS SELECT mv_action();
SELECT mv_action();
CLOSE c;
BEGIN;
SELECT mv_action();
FETCH ALL FROM c;
COMMIT;
