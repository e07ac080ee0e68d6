-- Foreign tables: catalog rows, column and table OPTIONS, the ALTER forms, and the
-- errors of reading a table whose wrapper has no handler.
CREATE FOREIGN DATA WRAPPER ftw;
CREATE SERVER fts FOREIGN DATA WRAPPER ftw;
CREATE FOREIGN TABLE ft0 (a int) SERVER nosuch;
CREATE FOREIGN TABLE ft0 (a int PRIMARY KEY) SERVER fts;
CREATE FOREIGN TABLE ft1 (
    a integer OPTIONS (col 'x') NOT NULL,
    b text CHECK (b <> ''),
    c date
) SERVER fts OPTIONS (delimiter ',');
COMMENT ON FOREIGN TABLE ft1 IS 'a foreign table';
\d+ ft1
\det+
SELECT * FROM ft1;
EXPLAIN SELECT * FROM ft1;
INSERT INTO ft1 VALUES (1, 'x', NULL);
CREATE INDEX ON ft1 (a);
ALTER FOREIGN TABLE ft1 ADD COLUMN d int OPTIONS (p 'q');
ALTER FOREIGN TABLE ft1 ALTER COLUMN b OPTIONS (ADD k 'v');
ALTER FOREIGN TABLE ft1 OPTIONS (SET delimiter ';', ADD quote '"');
ALTER FOREIGN TABLE ft1 ALTER COLUMN c SET NOT NULL;
ALTER FOREIGN TABLE ft1 ALTER COLUMN c TYPE text USING 'x';
ALTER FOREIGN TABLE ft1 ADD UNIQUE (a);
\d+ ft1
SELECT relname, relkind FROM pg_class WHERE relname = 'ft1';
SELECT ftoptions FROM pg_foreign_table WHERE ftrelid = 'ft1'::regclass;
CREATE TABLE lt (a int) PARTITION BY RANGE (a);
CREATE FOREIGN TABLE lt_p1 PARTITION OF lt FOR VALUES FROM (0) TO (10) SERVER fts;
CREATE INDEX ON lt (a);
CREATE UNIQUE INDEX ON lt (a);
\d+ lt
DROP TABLE lt;
IMPORT FOREIGN SCHEMA remote FROM SERVER fts INTO public;
DROP SERVER fts;
DROP FOREIGN TABLE nosuch;
DROP FOREIGN TABLE IF EXISTS nosuch;
DROP FOREIGN DATA WRAPPER ftw CASCADE;
