-- table inheritance: merged columns, inherited constraints, scans of the tree,
-- ONLY, UPDATE/DELETE/TRUNCATE recursion, DROP dependencies
CREATE TABLE a (aa TEXT);
CREATE TABLE b (bb TEXT) INHERITS (a);
CREATE TABLE c (cc TEXT) INHERITS (a);
CREATE TABLE d (dd TEXT) INHERITS (b,c,a);
INSERT INTO a(aa) VALUES('aaa');
INSERT INTO b(aa) VALUES('bbb');
INSERT INTO c(aa, cc) VALUES('ccc', 'x');
INSERT INTO d(aa, dd) VALUES('ddd', 'y');
SELECT relname, a.* FROM a, pg_class where a.tableoid = pg_class.oid ORDER BY 1;
SELECT relname, b.* FROM b, pg_class where b.tableoid = pg_class.oid ORDER BY 1;
SELECT relname, a.* FROM ONLY a, pg_class where a.tableoid = pg_class.oid;
UPDATE ONLY a SET aa='zzzzz' WHERE aa='aaa' RETURNING *, tableoid::regclass;
UPDATE a SET aa = aa || 'new' RETURNING *, tableoid::regclass;
DELETE FROM b WHERE aa LIKE 'd%' RETURNING tableoid::regclass, *;
SELECT tableoid::regclass, * FROM a ORDER BY 1;
\d a
\d+ d
DROP TABLE a;
DROP TABLE c;
TRUNCATE a;
SELECT count(*) FROM a;
DROP TABLE a CASCADE;
-- merging columns and constraints
CREATE TABLE p1 (a int NOT NULL, b text CHECK (b <> ''), c int);
CREATE TABLE p2 (a int, d int NOT NULL, c int DEFAULT 5);
CREATE TABLE ch (e int, a int) INHERITS (p1, p2);
CREATE TABLE ch2 (a int NOT NULL, b text) INHERITS (p1);
CREATE TABLE bad (c bigint) INHERITS (p1);
CREATE TABLE bad (c int DEFAULT 1) INHERITS (p1, p2);
SELECT conrelid::regclass::text, conname, contype, conislocal, coninhcount
  FROM pg_constraint WHERE conrelid IN ('ch'::regclass, 'ch2'::regclass) ORDER BY 1, 2;
SELECT attrelid::regclass::text, attname, attnum, attinhcount, attislocal, attnotnull
  FROM pg_attribute WHERE attrelid IN ('ch'::regclass, 'ch2'::regclass) AND attnum > 0
  ORDER BY 1, 3;
INSERT INTO ch (a, b, d) VALUES (1, '', 1);
ALTER TABLE ch DROP COLUMN b;
ALTER TABLE ch DROP CONSTRAINT p1_b_check;
ALTER TABLE p1 ADD COLUMN f int;
ALTER TABLE ONLY p1 ADD COLUMN g int;
ALTER TABLE p1 ADD CONSTRAINT p1_c_check CHECK (c > 0);
ALTER TABLE ch NO INHERIT p1;
SELECT attname, attislocal, attinhcount FROM pg_attribute
  WHERE attrelid = 'ch'::regclass AND attnum > 0 ORDER BY attnum;
ALTER TABLE ch INHERIT p1;
ALTER TABLE ch2 INHERIT ch2;
DROP TABLE p1, p2 CASCADE;
