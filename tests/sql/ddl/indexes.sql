-- indexes: plain, unique, multi-column, IF NOT EXISTS, drop, uniqueness errors
CREATE TABLE people (id int, email text, first text, last text, age int);
INSERT INTO people VALUES (1, 'a@x', 'Ann', 'Lee', 30), (2, 'b@x', 'Bob', 'Lee', 40), (3, 'c@x', 'Cid', 'Moe', 30);
CREATE INDEX people_age_idx ON people (age);
CREATE UNIQUE INDEX people_email_key ON people (email);
CREATE UNIQUE INDEX people_name_key ON people (last, first);
CREATE INDEX people_age_idx ON people (age);
CREATE INDEX IF NOT EXISTS people_age_idx ON people (age);
CREATE INDEX ON people (last DESC NULLS LAST, age);
\d people
INSERT INTO people VALUES (4, 'a@x', 'Dee', 'Roe', 20);
INSERT INTO people VALUES (5, 'e@x', 'Ann', 'Lee', 50);
INSERT INTO people VALUES (6, NULL, 'Eve', 'Lee', 1), (7, NULL, 'Fay', 'Lee', 2);
INSERT INTO people VALUES (8, 'h@x', 'Gus', NULL, 3), (9, 'i@x', 'Gus', NULL, 4);
UPDATE people SET email = 'b@x' WHERE id = 1;
UPDATE people SET email = upper(email) WHERE id = 1;
SELECT * FROM people WHERE email = 'A@X';
SELECT * FROM people WHERE last = 'Lee' AND first = 'Bob';
SELECT id FROM people WHERE age = 30 ORDER BY id;
CREATE UNIQUE INDEX people_age_key ON people (age);
SELECT indexrelid::regclass, indisunique, indnatts FROM pg_index WHERE indrelid = 'people'::regclass ORDER BY 1::text;
DROP INDEX people_age_idx;
DROP INDEX people_age_idx;
DROP INDEX IF EXISTS people_age_idx;
DROP INDEX people_email_key;
INSERT INTO people VALUES (10, 'a@x', 'Hal', 'Poe', 5);
SELECT count(*) FROM people WHERE email = 'a@x';
DROP TABLE people;
SELECT count(*) FROM pg_class WHERE relname LIKE 'people%';
