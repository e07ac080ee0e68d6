-- a foreign key may reference a UNIQUE NULLS NOT DISTINCT constraint or index
CREATE TABLE fknnd_p (a int, b int, UNIQUE NULLS NOT DISTINCT (a, b));
INSERT INTO fknnd_p VALUES (1, 1), (2, NULL);
CREATE TABLE fknnd_c (x int, y int, FOREIGN KEY (x, y) REFERENCES fknnd_p (a, b));
INSERT INTO fknnd_c VALUES (1, 1), (2, NULL), (NULL, NULL);
INSERT INTO fknnd_c VALUES (3, 3);
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
  WHERE conrelid = 'fknnd_c'::regclass ORDER BY conname;
CREATE TABLE fknnd_q (k int);
CREATE UNIQUE INDEX fknnd_q_k ON fknnd_q (k) NULLS NOT DISTINCT;
INSERT INTO fknnd_q VALUES (5);
CREATE TABLE fknnd_r (k int REFERENCES fknnd_q (k) ON DELETE CASCADE);
INSERT INTO fknnd_r VALUES (5), (NULL);
DELETE FROM fknnd_q;
SELECT * FROM fknnd_r;
