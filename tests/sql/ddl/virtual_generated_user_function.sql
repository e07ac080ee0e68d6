-- virtual generated columns may not call user-defined functions (stored ones may)
CREATE FUNCTION vg_f(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1 * 2';
CREATE TABLE vg_t1 (id int, x int, y int GENERATED ALWAYS AS (x * vg_f(x)) VIRTUAL);
CREATE TABLE vg_t2 (id int, x int, y int GENERATED ALWAYS AS (x * vg_f(x)) STORED);
INSERT INTO vg_t2 (id, x) VALUES (1, 3);
SELECT * FROM vg_t2;
CREATE TABLE vg_t3 (id int, x int, y int GENERATED ALWAYS AS (x * 2) VIRTUAL);
ALTER TABLE vg_t3 ALTER COLUMN y SET EXPRESSION AS (vg_f(x));
ALTER TABLE vg_t3 ADD COLUMN z int GENERATED ALWAYS AS (vg_f(id)) VIRTUAL;
DROP TABLE vg_t2, vg_t3;
DROP FUNCTION vg_f(int);
