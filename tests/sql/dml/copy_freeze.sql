-- COPY FREEZE needs the table created or truncated in the current subtransaction
CREATE TABLE vt (a text);
COPY vt FROM stdin (FREEZE);
x
\.
BEGIN;
TRUNCATE vt;
COPY vt FROM stdin (FREEZE);
a
\.
SAVEPOINT s1;
COPY vt FROM stdin (FREEZE);
b
\.
ROLLBACK TO SAVEPOINT s1;
TRUNCATE vt;
COPY vt FROM stdin (FREEZE);
c
\.
RELEASE SAVEPOINT s1;
COPY vt FROM stdin (FREEZE);
d
\.
COMMIT;
SELECT * FROM vt;
BEGIN;
INSERT INTO vt VALUES ('z');
SAVEPOINT s1;
TRUNCATE vt;
ROLLBACK TO SAVEPOINT s1;
COPY vt FROM stdin (FREEZE);
e
\.
ROLLBACK;
BEGIN;
CREATE TABLE vt2 (a int);
SAVEPOINT s1;
SAVEPOINT s2;
TRUNCATE vt2;
RELEASE SAVEPOINT s2;
COPY vt2 FROM stdin (FREEZE);
1
\.
RELEASE SAVEPOINT s1;
COPY vt2 FROM stdin (FREEZE);
2
\.
SELECT * FROM vt2;
COMMIT;
-- partitioned tables refuse FREEZE
CREATE TABLE vtp (a int) PARTITION BY LIST (a);
CREATE TABLE vtp1 PARTITION OF vtp FOR VALUES IN (1);
BEGIN;
TRUNCATE vtp;
COPY vtp FROM stdin (FREEZE);
1
\.
ROLLBACK;
BEGIN;
TRUNCATE vtp1;
COPY vtp1 FROM stdin (FREEZE);
1
\.
COMMIT;
SELECT * FROM vtp;
-- COPY TO from a materialized view once it is populated
CREATE MATERIALIZED VIEW vmv AS SELECT 1 AS id, 'x' AS t WITH NO DATA;
COPY vmv TO stdout;
REFRESH MATERIALIZED VIEW vmv;
COPY vmv TO stdout (HEADER);
COPY vmv (t) TO stdout (FORMAT csv);
COPY vmv FROM stdin;
\.
-- a default too long for its column fails when it is used, not before
CREATE TEMP TABLE od (col1 varchar(5) DEFAULT 'more than 5 chars', col2 varchar(5));
COPY od FROM stdin;
a	b
\.
COPY od (col2) FROM stdin;
c
\.
COPY od FROM stdin (DEFAULT '');
	d
\.
SELECT * FROM od;
