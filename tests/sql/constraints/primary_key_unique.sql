-- PRIMARY KEY and UNIQUE constraints: violations and their messages
CREATE TABLE items (id int PRIMARY KEY, code text UNIQUE, name text);
\d items
INSERT INTO items VALUES (1, 'A', 'first'), (2, 'B', 'second');
INSERT INTO items VALUES (1, 'C', 'dup id');
INSERT INTO items VALUES (3, 'A', 'dup code');
INSERT INTO items VALUES (NULL, 'D', 'null id');
INSERT INTO items VALUES (3, NULL, 'null code'), (4, NULL, 'another null code');
INSERT INTO items VALUES (5, 'E', 'x'), (5, 'F', 'y');
UPDATE items SET id = 2 WHERE id = 1;
UPDATE items SET id = id + 1;
SELECT * FROM items ORDER BY id;
CREATE TABLE pairs (a int, b int, c text, PRIMARY KEY (a, b), CONSTRAINT pairs_c_uq UNIQUE (c));
INSERT INTO pairs VALUES (1, 1, 'x'), (1, 2, 'y');
INSERT INTO pairs VALUES (1, 1, 'z');
INSERT INTO pairs VALUES (2, 2, 'x');
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
 WHERE conrelid = 'pairs'::regclass ORDER BY conname;
CREATE TABLE twopk (a int PRIMARY KEY, b int PRIMARY KEY);
ALTER TABLE pairs ADD CONSTRAINT pairs_b_uq UNIQUE (b);
ALTER TABLE pairs ADD CONSTRAINT pairs_a_uq UNIQUE (a);
ALTER TABLE pairs DROP CONSTRAINT pairs_c_uq;
INSERT INTO pairs VALUES (3, 3, 'x');
SELECT * FROM pairs ORDER BY a, b;
