-- CREATE/ALTER SEQUENCE parameter checks (init_params), ALTER SEQUENCE AS, the
-- sequence functions' refusals, pg_sequence_parameters and pg_get_sequence_data
CREATE SEQUENCE sp_x CACHE 0;
CREATE SEQUENCE sp_x AS smallint MAXVALUE 100000;
CREATE SEQUENCE sp_x AS smallint MINVALUE -100000;
CREATE SEQUENCE sp_x AS text;
CREATE SEQUENCE sp5 AS integer;
CREATE SEQUENCE sp8 AS integer MAXVALUE 100000;
CREATE SEQUENCE sp9 AS integer INCREMENT BY -1;
CREATE SEQUENCE sp10 AS integer MINVALUE -100000 START 1;
CREATE SEQUENCE sp13 AS smallint MINVALUE -32768;
CREATE SEQUENCE sp14 AS smallint MAXVALUE 32767 INCREMENT -1;
ALTER SEQUENCE sp5 AS smallint;
ALTER SEQUENCE sp8 AS smallint;
ALTER SEQUENCE sp8 AS smallint MAXVALUE 20000;
ALTER SEQUENCE sp9 AS smallint;
ALTER SEQUENCE sp10 AS smallint;
ALTER SEQUENCE sp10 AS smallint MINVALUE -20000;
ALTER SEQUENCE sp13 AS int;
ALTER SEQUENCE sp14 AS int;
ALTER SEQUENCE sp5 AS text;
SELECT c.relname, s.seqtypid::regtype, s.seqstart, s.seqmin, s.seqmax, s.seqincrement
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
  WHERE c.relname LIKE 'sp%' ORDER BY c.relname;
ALTER SEQUENCE sp5 RESTART 0;
ALTER SEQUENCE sp9 RESTART 40;
ALTER SEQUENCE sp5 MINVALUE 5;
ALTER SEQUENCE sp5 CACHE 0;
ALTER SEQUENCE sp5 NO MAXVALUE;
SELECT seqmax FROM pg_sequence WHERE seqrelid = 'sp5'::regclass;
SELECT * FROM pg_sequence_parameters('sp9'::regclass);
SELECT * FROM pg_get_sequence_data('sp9');
SELECT nextval('sp9');
SELECT * FROM pg_get_sequence_data('sp9');
CREATE TABLE sp_tab (a int);
SELECT * FROM pg_get_sequence_data('sp_tab');
SELECT nextval('sp_tab');
SELECT currval('sp_tab');
SELECT setval('sp_tab', 1);
ALTER SEQUENCE sp_tab CYCLE;
-- read-only transactions: only temporary sequences advance
CREATE TEMP SEQUENCE sp_temp;
START TRANSACTION READ ONLY;
SELECT nextval('sp_temp');
SELECT nextval('sp5');
ROLLBACK;
START TRANSACTION READ ONLY;
SELECT setval('sp_temp', 1);
SELECT setval('sp5', 1);
ROLLBACK;
-- lastval of a dropped sequence
CREATE SEQUENCE sp_gone;
SELECT nextval('sp_gone');
SELECT lastval();
DROP SEQUENCE sp_gone;
SELECT lastval();
-- only the owner alters a sequence; readers see its parameters
CREATE ROLE regress_sp_role;
GRANT SELECT ON sp5 TO regress_sp_role;
SET ROLE regress_sp_role;
ALTER SEQUENCE sp5 START WITH 7;
SELECT start_value, increment FROM pg_sequence_parameters('sp5'::regclass);
SELECT * FROM pg_sequence_parameters('sp8'::regclass);
SELECT * FROM pg_get_sequence_data('sp8');
RESET ROLE;
DROP TABLE sp_tab;
DROP SEQUENCE sp5, sp8, sp9, sp10, sp13, sp14, sp_temp;
DROP ROLE regress_sp_role;
