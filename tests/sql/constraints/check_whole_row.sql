-- a whole-row reference prints as refname.* (constraints, \d, views)
CREATE TABLE wr (f1 int, "F 2" text);
CREATE FUNCTION wrf(wr) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1.f1 > 0';
ALTER TABLE wr ADD CHECK (wrf(wr.*));
ALTER TABLE wr ADD CONSTRAINT c2 CHECK (wrf(wr) AND f1 < 100);
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'wr'::regclass
  ORDER BY conname;
\d wr
INSERT INTO wr VALUES (1, 'a');
INSERT INTO wr VALUES (0, 'b');
CREATE VIEW wrv AS SELECT wrf(w) AS x, wrf(w.*) AS y FROM wr w;
SELECT pg_get_viewdef('wrv');
CREATE VIEW wrv2 AS SELECT wrf(wr) FROM wr;
SELECT pg_get_viewdef('wrv2');
SELECT * FROM wrv, wrv2;
