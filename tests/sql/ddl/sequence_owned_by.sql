-- CREATE/ALTER SEQUENCE ... OWNED BY table.column | NONE: the sequence goes with the
-- column or table it belongs to
CREATE TABLE ot (a int, b int);
CREATE SEQUENCE os1 OWNED BY ot.a;
CREATE SEQUENCE os2 OWNED BY ot;
CREATE SEQUENCE os3 OWNED BY ot.zz;
CREATE INDEX ot_i ON ot (a);
CREATE SEQUENCE os4 OWNED BY ot_i.a;
CREATE SEQUENCE os5 OWNED BY nosuch.a;
CREATE SCHEMA osch;
CREATE SEQUENCE osch.os6 OWNED BY ot.a;
CREATE ROLE regress_sob_role;
CREATE SEQUENCE os7;
ALTER TABLE os7 OWNER TO regress_sob_role;
ALTER SEQUENCE os7 OWNED BY ot.b;
ALTER SEQUENCE os1 OWNED BY NONE;
CREATE SEQUENCE os8 OWNED BY NONE;
CREATE SEQUENCE os9 OWNED BY a.b.c.d;
CREATE SEQUENCE os10 OWNED BY public.ot.b;
CREATE SEQUENCE os11 OWNED BY x;
SELECT classid::regclass, objid::regclass, refobjid::regclass, refobjsubid, deptype
  FROM pg_depend WHERE objid IN ('os10'::regclass, 'os1'::regclass)
  AND refclassid = 'pg_class'::regclass;
SELECT pg_get_serial_sequence('ot', 'b');
ALTER SEQUENCE os10 OWNED BY ot.a;
SELECT pg_get_serial_sequence('ot', 'a'), pg_get_serial_sequence('ot', 'b');
ALTER SEQUENCE os10 OWNED BY ot.b;
CREATE VIEW ov AS SELECT 1 AS x;
CREATE SEQUENCE os12 OWNED BY ov.x;
ALTER TABLE ot DROP COLUMN b;
SELECT relname FROM pg_class WHERE relname LIKE 'os%' ORDER BY 1;
DROP VIEW ov;
SELECT relname FROM pg_class WHERE relname LIKE 'os%' ORDER BY 1;
CREATE SEQUENCE os13 OWNED BY ot.a;
DROP TABLE ot;
SELECT relname FROM pg_class WHERE relname LIKE 'os%' ORDER BY 1;
-- serial: the sequence is created before its table
CREATE TABLE st (id serial, v bigserial);
SELECT relname FROM pg_class WHERE relname LIKE 'st%' AND relkind IN ('r', 'S')
  ORDER BY oid;
CREATE TABLE it (id int GENERATED ALWAYS AS IDENTITY);
SELECT relname FROM pg_class WHERE relname LIKE 'it%' AND relkind IN ('r', 'S')
  ORDER BY oid;
ALTER SEQUENCE it_id_seq OWNED BY st.id;
DROP TABLE st, it;
DROP SEQUENCE os1, os7, os8;
DROP SCHEMA osch;
DROP ROLE regress_sob_role;
